package io.fornax.client;

import io.fornax.api.proto.Instance;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Resource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Instances: what the scheduler runs for the tenant's applications (read-only). */
public final class Instances {
  private final Calls calls;

  Instances(Calls calls) {
    this.calls = calls;
  }

  public CompletableFuture<Instance> getAsync(String name) {
    return calls.get(Kind.INSTANCE, name, Resource::getInstance);
  }

  /** @throws NotFoundException if there is no such instance */
  public Instance get(String name) {
    return Calls.await(getAsync(name));
  }

  /** Instances of {@code application} (empty: all). */
  public CompletableFuture<List<Instance>> listAsync(String application) {
    return calls.list(Kind.INSTANCE, Map.of(), application, Resource::getInstance);
  }

  public List<Instance> list(String application) {
    return Calls.await(listAsync(application));
  }

  public List<Instance> list() {
    return list("");
  }
}
