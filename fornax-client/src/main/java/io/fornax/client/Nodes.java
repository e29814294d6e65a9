package io.fornax.client;

import io.fornax.api.proto.DrainNodeRequest;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Resource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The nodes agents registered, with their capacity and liveness (the cluster's view). */
public final class Nodes {
  private final Calls calls;

  Nodes(Calls calls) {
    this.calls = calls;
  }

  public CompletableFuture<Node> getAsync(String name) {
    return calls.get(Kind.NODE, name, Resource::getNode);
  }

  /** @throws NotFoundException if no node has that name */
  public Node get(String name) {
    return Calls.await(getAsync(name));
  }

  public CompletableFuture<List<Node>> listAsync(Map<String, String> labelSelector) {
    return calls.list(Kind.NODE, labelSelector, "", Resource::getNode);
  }

  public List<Node> list() {
    return Calls.await(listAsync(Map.of()));
  }

  /**
   * Drains a node (admin token): nothing new is placed there; what runs there is left to
   * finish. It survives agent reconnects until {@link #undrain}.
   */
  public CompletableFuture<Node> drainAsync(String name) {
    return setDrain(name, true);
  }

  public Node drain(String name) {
    return Calls.await(drainAsync(name));
  }

  /** Makes a drained node schedulable again. */
  public CompletableFuture<Node> undrainAsync(String name) {
    return setDrain(name, false);
  }

  public Node undrain(String name) {
    return Calls.await(undrainAsync(name));
  }

  private CompletableFuture<Node> setDrain(String name, boolean drain) {
    return calls.ok(Request.newBuilder().setDrainNode(DrainNodeRequest.newBuilder().setName(name)
        .setDrain(drain))).thenApply(r -> r.getResource().getNode());
  }

  /** Removes a node that runs nothing (admin token). */
  public CompletableFuture<Void> deleteAsync(String name) {
    return calls.delete(Kind.NODE, name, 0);
  }

  public void delete(String name) {
    Calls.await(deleteAsync(name));
  }
}
