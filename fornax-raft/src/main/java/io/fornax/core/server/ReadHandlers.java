package io.fornax.core.server;

import com.google.protobuf.Message;
import io.fornax.api.FornaxException;
import io.fornax.api.Nullable;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Consistency;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.GetRequest;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.ResourceList;
import io.fornax.api.proto.Response;
import io.fornax.api.validation.Validator;
import io.fornax.api.Resources;
import io.fornax.core.state.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;

/**
 * Reads at the requested consistency: LINEARIZABLE (the default) waits for a ReadIndex barrier,
 * LOCAL reads this replica's applied state as it is. The response's revision is the applied
 * index the read saw, taken atomically with the data, so a watch from it misses nothing.
 */
final class ReadHandlers {
  private final CoreBackend backend;

  ReadHandlers(CoreBackend backend) {
    this.backend = backend;
  }

  CompletableFuture<Response> get(Caller caller, GetRequest r, Consistency consistency) {
    Table table = Scope.table(r.getKind());
    Validator.validateName("name", r.getName());
    String tenant = table.tenantScoped() ? Scope.tenant(caller, r.getTenant(), true) : "";
    if (r.getKind() == Kind.TENANT && !Scope.mayReadTenant(caller, r.getName())) {
      throw notFound(r.getKind(), r.getName(), ""); // not PERMISSION_DENIED: names stay private
    }
    String key = table.key(tenant, r.getName());
    return barrier(caller, consistency).thenApply(ignored -> {
      Read<Message> read = backend.state().read(tables -> new Read<>(
          backend.state().appliedIndexUnlocked(), tables.get(table).get(key)));
      if (read.value() == null) {
        throw notFound(r.getKind(), r.getName(), tenant);
      }
      return Response.newBuilder().setRevision(read.revision())
          .setResource(Scope.redact(Resources.wrap(read.value()))).build();
    });
  }

  CompletableFuture<Response> list(Caller caller, ListRequest r, Consistency consistency) {
    Table table = Scope.table(r.getKind());
    Validator.validateLabelSelector(r.getLabelSelectorMap());
    if (!r.getApplication().isEmpty()) {
      Validator.validateName("application", r.getApplication());
    }
    String tenant = r.getKind() == Kind.NODE ? "" : Scope.tenant(caller, r.getTenant(), false);
    Selection selection = new Selection(caller, tenant, "", r.getLabelSelectorMap(),
        r.getApplication());
    String prefix = table.tenantScoped() && !tenant.isEmpty() ? tenant + "/" : "";
    String after = PageTokens.decode(r.getPageToken(), prefix);
    int limit = PageTokens.limit(r.getLimit());
    return barrier(caller, consistency).thenApply(ignored -> {
      // Copy under the state's read lock; wrap and filter after releasing it.
      Read<List<Map.Entry<String, Message>>> read = backend.state().read(tables -> new Read<>(
          backend.state().appliedIndexUnlocked(),
          new ArrayList<>(range(tables.get(table), prefix, after).entrySet())));
      ResourceList.Builder items = ResourceList.newBuilder();
      long bytes = 0;
      List<Map.Entry<String, Message>> entries = read.value();
      for (int i = 0; i < entries.size(); i++) {
        if (items.getItemsCount() >= limit || bytes >= PageTokens.PAGE_BYTES) {
          items.setNextPageToken(PageTokens.encode(entries.get(i - 1).getKey()));
          break;
        }
        Resource res = Resources.wrap(entries.get(i).getValue());
        if (selection.matches(res)) {
          Resource shown = Scope.redact(res);
          items.addItems(shown);
          bytes += shown.getSerializedSize();
        }
      }
      return Response.newBuilder().setRevision(read.revision()).setList(items).build();
    });
  }

  /** Any authenticated caller may ask; the status names members and addresses, no secrets. */
  CompletableFuture<Response> clusterStatus() {
    return CompletableFuture.completedFuture(Response.newBuilder()
        .setRevision(backend.state().appliedIndex())
        .setClusterStatus(backend.clusterStatus()).build());
  }

  /**
   * The read barrier of a linearizable read; past it, the caller's token is checked again
   * against the caught-up state, so a token rotated through another replica is refused here too.
   */
  private CompletableFuture<Void> barrier(Caller caller, Consistency consistency) {
    if (consistency == Consistency.LOCAL) {
      return CompletableFuture.completedFuture(null);
    }
    return backend.readBarrier().thenRun(() -> {
      if (!Authenticator.stillValid(caller, backend.state())) {
        throw Authenticator.revoked();
      }
    });
  }

  /** The entries under {@code prefix} (all if empty) after key {@code after} (all if empty). */
  private static NavigableMap<String, Message> range(NavigableMap<String, Message> map,
      String prefix, String after) {
    NavigableMap<String, Message> scoped = prefix.isEmpty() ? map
        : map.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    return after.isEmpty() ? scoped : scoped.tailMap(after, false);
  }

  /** e.g. {@code application "web" not found in tenant "acme"}. */
  static FornaxException notFound(Kind kind, String name, String tenant) {
    String what = kind.name().toLowerCase() + " \"" + name + "\" not found";
    return new FornaxException(ErrorCode.NOT_FOUND,
        tenant.isEmpty() ? what : what + " in tenant \"" + tenant + "\"");
  }

  private record Read<T>(long revision, @Nullable T value) {}
}
