package io.fornax.shell.commands;

import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Resource;
import io.fornax.client.FornaxClient;
import io.fornax.client.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Get, list and delete any kind through the client's facets, as {@link Resource}s. */
public final class ResourceAccess {
  private ResourceAccess() {}

  /** Everything of {@code kind}; sessions and instances narrowed to {@code application}. */
  public static List<Resource> list(FornaxClient c, Kind kind, String application,
      Map<String, String> labels) {
    return switch (kind) {
      case APPLICATION -> wrap(c.applications().list(labels),
          a -> Resource.newBuilder().setApplication(a).build());
      case SESSION -> wrap(await(c.sessions().listAsync(application, labels)),
          s -> Resource.newBuilder().setSession(s).build());
      case NODE -> wrap(await(c.nodes().listAsync(labels)),
          n -> Resource.newBuilder().setNode(n).build());
      case INSTANCE -> wrap(c.instances().list(application),
          i -> Resource.newBuilder().setInstance(i).build());
      default -> wrap(c.tenants().list(), t -> Resource.newBuilder().setTenant(t).build());
    };
  }

  /** Names of {@code kind}, for completion. */
  public static List<String> names(FornaxClient c, Kind kind) {
    List<String> out = new ArrayList<>();
    for (Resource r : list(c, kind, "", Map.of())) {
      out.add(Resources.meta(r).getName());
    }
    return out;
  }

  public static Resource get(FornaxClient c, Kind kind, String name) {
    return switch (kind) {
      case APPLICATION -> Resource.newBuilder().setApplication(c.applications().get(name)).build();
      case SESSION -> Resource.newBuilder().setSession(c.sessions().get(name)).build();
      case NODE -> Resource.newBuilder().setNode(c.nodes().get(name)).build();
      case INSTANCE -> Resource.newBuilder().setInstance(c.instances().get(name)).build();
      default -> Resource.newBuilder().setTenant(c.tenants().get(name)).build();
    };
  }

  public static void delete(FornaxClient c, Kind kind, String name) {
    switch (kind) {
      case APPLICATION -> c.applications().delete(name);
      case NODE -> c.nodes().delete(name);
      case TENANT -> c.tenants().delete(name);
      case SESSION -> await(c.sessions().closeNoWaitAsync(name));
      default -> throw new io.fornax.shell.UsageException("instances cannot be deleted: delete"
          + " or scale their application, or close their sessions");
    }
  }

  /** The lower-case singular a user writes: {@code application}, {@code session}. */
  public static String noun(Kind kind) {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** A future's value, or its typed client exception (not a CompletionException). */
  static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw io.fornax.client.FornaxClientException.from(e);
    } catch (InterruptedException e) {
      f.cancel(false);
      Thread.currentThread().interrupt();
      throw new io.fornax.client.UnavailableException(io.fornax.api.proto.ErrorCode.UNAVAILABLE,
          "interrupted");
    }
  }

  private static <T> List<Resource> wrap(List<T> items, Function<T, Resource> as) {
    List<Resource> out = new ArrayList<>(items.size());
    items.forEach(i -> out.add(as.apply(i)));
    return out;
  }
}
