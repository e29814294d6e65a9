package io.fornax.core.server;

import com.google.protobuf.Message;
import io.fornax.api.FornaxException;
import io.fornax.api.proto.CancelWatchRequest;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Consistency;
import io.fornax.api.proto.Deleted;
import io.fornax.api.proto.GetRequest;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.ResourceList;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.WatchEvent;
import io.fornax.api.proto.WatchRequest;
import io.fornax.api.proto.WatchStarted;
import io.fornax.api.validation.Validator;
import io.fornax.core.state.ChangeEvent;
import io.fornax.core.state.EventLog;
import io.fornax.core.state.Resources;
import io.fornax.core.state.Table;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Reads (get, list) at the requested consistency, and watches. */
final class ReadHandlers {
  private final CoreBackend backend;

  ReadHandlers(CoreBackend backend) {
    this.backend = backend;
  }

  /** LINEARIZABLE waits for a ReadIndex barrier; LOCAL reads the applied state as it is. */
  private CompletableFuture<Void> barrier(Consistency consistency) {
    return consistency == Consistency.LOCAL
        ? CompletableFuture.completedFuture(null) : backend.readBarrier();
  }

  CompletableFuture<Response> get(Caller caller, GetRequest r, Consistency consistency) {
    Table table = table(r.getKind());
    Validator.validateName("name", r.getName());
    String tenant = Scope.tenantScoped(r.getKind()) ? Scope.tenant(caller, r.getTenant(), true) : "";
    if (r.getKind() == Kind.TENANT && !caller.getAdmin() && !caller.getTenant().equals(r.getName())) {
      return CompletableFuture.failedFuture(notFound(r.getKind(), r.getName(), ""));
    }
    return barrier(consistency).thenApply(ignored -> {
      long revision = backend.state().appliedIndex();
      Message m = backend.state().get(table, table.key(tenant, r.getName()));
      if (m == null) {
        throw notFound(r.getKind(), r.getName(), tenant);
      }
      return Response.newBuilder().setRevision(revision)
          .setResource(Scope.redact(Resources.wrap(m))).build();
    });
  }

  CompletableFuture<Response> list(Caller caller, ListRequest r, Consistency consistency) {
    Table table = table(r.getKind());
    Validator.validateLabelSelector(r.getLabelSelectorMap());
    String tenant = r.getKind() == Kind.NODE ? "" : Scope.tenant(caller, r.getTenant(), false);
    String prefix = Scope.tenantScoped(r.getKind()) && !tenant.isEmpty() ? tenant + "/" : "";
    return barrier(consistency).thenApply(ignored -> {
      long revision = backend.state().appliedIndex();
      ResourceList.Builder items = ResourceList.newBuilder();
      for (Message m : backend.state().list(table, prefix)) {
        Resource res = Resources.wrap(m);
        if (Scope.visible(caller, tenant, res) && matches(res, r.getLabelSelectorMap(), r.getApplication())) {
          items.addItems(Scope.redact(res));
        }
      }
      return Response.newBuilder().setRevision(revision).setList(items).build();
    });
  }

  CompletableFuture<Response> watch(Caller caller, long id, WatchRequest r, ConnectionWatches watches) {
    table(r.getKind());
    Validator.validateLabelSelector(r.getLabelSelectorMap());
    if (!r.getName().isEmpty()) {
      Validator.validateName("name", r.getName());
    }
    String tenant = r.getKind() == Kind.NODE ? "" : Scope.tenant(caller, r.getTenant(), false);
    watches.open(id);
    EventLog.Subscription sub;
    try {
      sub = backend.events().subscribe(r.getFromRevision(), e -> {
        if (e.kind() == r.getKind() && (r.getName().isEmpty() || r.getName().equals(e.name()))
            && Scope.visible(caller, tenant, e.resource())
            && matches(e.resource(), r.getLabelSelectorMap(), "")) {
          watches.send(id, event(id, e));
        }
      });
    } catch (RuntimeException e) {
      watches.cancel(id);
      throw e;
    }
    watches.started(id, sub, Response.newBuilder().setId(id).setRevision(sub.startRevision())
        .setWatchStarted(WatchStarted.newBuilder().setRevision(sub.startRevision())).build());
    return CompletableFuture.completedFuture(null); // already answered, ahead of its events
  }

  CompletableFuture<Response> cancelWatch(CancelWatchRequest r, ConnectionWatches watches) {
    if (!watches.cancel(r.getWatchId())) {
      throw FornaxException.notFound("no watch %d on this connection", r.getWatchId());
    }
    return CompletableFuture.completedFuture(
        Response.newBuilder().setDeleted(Deleted.getDefaultInstance()).build());
  }

  private static Response event(long id, ChangeEvent e) {
    return Response.newBuilder().setId(id).setRevision(e.revision())
        .setEvent(WatchEvent.newBuilder().setType(e.type()).setRevision(e.revision())
            .setResource(Scope.redact(e.resource())))
        .build();
  }

  private static boolean matches(Resource r, Map<String, String> selector, String application) {
    Map<String, String> labels = Resources.meta(r).getLabelsMap();
    for (Map.Entry<String, String> want : selector.entrySet()) {
      if (!want.getValue().equals(labels.get(want.getKey()))) {
        return false;
      }
    }
    if (application.isEmpty()) {
      return true;
    }
    return switch (r.getKindCase()) {
      case SESSION -> application.equals(r.getSession().getSpec().getApplication());
      case INSTANCE -> application.equals(r.getInstance().getApplication());
      default -> true;
    };
  }

  private static Table table(Kind kind) {
    if (kind == Kind.KIND_UNSPECIFIED || kind == Kind.UNRECOGNIZED) {
      throw FornaxException.invalid("kind is required (TENANT, APPLICATION, SESSION, NODE or INSTANCE)");
    }
    return Table.of(kind);
  }

  private static FornaxException notFound(Kind kind, String name, String tenant) {
    String what = kind.name().toLowerCase() + " \"" + name + "\" not found";
    return tenant.isEmpty() ? new FornaxException(io.fornax.api.proto.ErrorCode.NOT_FOUND, what)
        : new FornaxException(io.fornax.api.proto.ErrorCode.NOT_FOUND,
            what + " in tenant \"" + tenant + "\"");
  }
}
