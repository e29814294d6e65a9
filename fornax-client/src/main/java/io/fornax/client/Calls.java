package io.fornax.client;

import io.fornax.api.proto.Consistency;
import io.fornax.api.proto.DeleteRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.GetRequest;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Response;
import io.fornax.client.internal.Transport;
import io.fornax.client.internal.Transport.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** What every facet does: scope a request to the tenant, send it, map its errors. */
final class Calls {
  final Transport transport;
  /** The tenant an admin client acts on; empty for a tenant token (the server knows it). */
  final String tenant;
  final Consistency consistency;

  Calls(Transport transport, String tenant, Consistency consistency) {
    this.transport = transport;
    this.tenant = tenant;
    this.consistency = consistency;
  }

  /** Sends with failover; fails only when no replica answered (as {@link UnavailableException}). */
  CompletableFuture<Outcome> send(Request.Builder request) {
    return transport.call(request.setConsistency(consistency).build())
        .handle((o, e) -> {
          if (e != null) {
            throw FornaxClientException.from(e);
          }
          return o;
        });
  }

  /** Sends and turns an error answer into its typed exception. */
  CompletableFuture<Response> ok(Request.Builder request) {
    return send(request).thenApply(Calls::require);
  }

  static Response require(Outcome o) {
    if (!o.ok()) {
      throw FornaxClientException.of(o.code(), o.response().getError().getMessage());
    }
    return o.response();
  }

  <T> CompletableFuture<T> get(Kind kind, String name, Function<Resource, T> as) {
    return ok(Request.newBuilder().setGet(GetRequest.newBuilder().setKind(kind).setName(name)
        .setTenant(tenant))).thenApply(r -> as.apply(r.getResource()));
  }

  /** Every item, page after page (each page is one request, read at its own revision). */
  <T> CompletableFuture<List<T>> list(Kind kind, Map<String, String> labels, String application,
      Function<Resource, T> as) {
    ListRequest first = ListRequest.newBuilder().setKind(kind).setTenant(tenant)
        .putAllLabelSelector(labels).setApplication(application).build();
    return pages(first, new ArrayList<>(), as);
  }

  private <T> CompletableFuture<List<T>> pages(ListRequest page, List<T> out,
      Function<Resource, T> as) {
    return ok(Request.newBuilder().setList(page)).thenCompose(r -> {
      for (Resource item : r.getList().getItemsList()) {
        out.add(as.apply(item));
      }
      String next = r.getList().getNextPageToken();
      return next.isEmpty() ? CompletableFuture.completedFuture(out)
          : pages(page.toBuilder().setPageToken(next).build(), out, as);
    });
  }

  /** Deletes; a NOT_FOUND after an attempt that may have run means that attempt deleted it. */
  CompletableFuture<Void> delete(Kind kind, String name, long expectedRevision) {
    return send(Request.newBuilder().setDelete(DeleteRequest.newBuilder().setKind(kind)
            .setName(name).setTenant(tenant).setExpectedRevision(expectedRevision)))
        .thenApply(o -> {
          if (!(o.ambiguous() && o.code() == ErrorCode.NOT_FOUND)) {
            require(o);
          }
          return null;
        });
  }

  /** The blocking form of a call: its value, or its typed exception. */
  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw FornaxClientException.from(e);
    } catch (InterruptedException e) {
      f.cancel(false);
      Thread.currentThread().interrupt();
      throw new UnavailableException(ErrorCode.UNAVAILABLE, "interrupted");
    }
  }
}
