package io.fornax.core.server;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.CancelWatchRequest;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Deleted;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.EventType;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.WatchEvent;
import io.fornax.api.proto.WatchRequest;
import io.fornax.api.proto.WatchStarted;
import io.fornax.api.validation.Validator;
import io.fornax.core.state.ChangeEvent;
import io.fornax.core.state.EventLog;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Watches: every change of a kind after a revision, filtered like a list, streamed on the
 * request's id. The first response is watch_started (or an error, e.g. COMPACTED); the watch
 * lives until cancel_watch, the connection closing, or the client falling too far behind.
 */
final class WatchHandlers {
  private final CoreBackend backend;

  WatchHandlers(CoreBackend backend) {
    this.backend = backend;
  }

  /** Completes with null: the handler writes watch_started itself, ahead of the events. */
  CompletableFuture<Response> watch(Caller caller, long id, WatchRequest r,
      ConnectionWatches watches) {
    Scope.table(r.getKind());
    Validator.validateLabelSelector(r.getLabelSelectorMap());
    if (!r.getName().isEmpty()) {
      Validator.validateName("name", r.getName());
    }
    String tenant = r.getKind() == Kind.NODE ? "" : Scope.tenant(caller, r.getTenant(), false);
    Selection selection = new Selection(caller, tenant, r.getName(), r.getLabelSelectorMap(), "");
    watches.open(id);
    // "From now" is linearizable like a default read: this replica first catches up with every
    // write acknowledged so far, so a client never gets its own earlier write as news.
    CompletableFuture<Void> caughtUp = r.getFromRevision() == 0 ? backend.readBarrier()
        : CompletableFuture.completedFuture(null);
    return caughtUp.thenApply(v -> {
      if (!Authenticator.stillValid(caller, backend.state())) {
        throw Authenticator.revoked();
      }
      start(caller, id, r, selection, watches);
      return (Response) null;
    }).whenComplete((v, e) -> {
      if (e != null) {
        watches.cancel(id);
      }
    });
  }

  private void start(Caller caller, long id, WatchRequest r, Selection selection,
      ConnectionWatches watches) {
    long checkedAt = backend.state().appliedIndex(); // the token was valid here
    EventLog.Subscription sub = backend.events().subscribe(r.getFromRevision(), new Sink(e -> {
      if (e.revision() > checkedAt && revokes(e, caller)) {
        watches.end(id, ErrorCode.UNAUTHENTICATED,
            "token no longer valid (rotated, or its tenant deleted)");
        return;
      }
      if (e.kind() == r.getKind() && selection.matches(e.resource())) {
        watches.send(id, e.revision(), event(id, e));
      }
    }), () -> watches.end(id, ErrorCode.COMPACTED, "this replica replaced its state from a"
        + " snapshot; list again and watch from the list's revision"));
    // From "now" (0), only what follows the start revision is news; otherwise what follows from.
    long floor = r.getFromRevision() == 0 ? sub.startRevision() : r.getFromRevision();
    watches.started(id, sub, floor, Response.newBuilder().setId(id)
        .setRevision(sub.startRevision())
        .setWatchStarted(WatchStarted.newBuilder().setRevision(sub.startRevision())).build());
  }

  /** Whether change {@code e} rotates away or deletes the tenant token {@code caller} came with. */
  private static boolean revokes(ChangeEvent e, Caller caller) {
    if (e.kind() != Kind.TENANT || caller.getAdmin() || caller.getTokenHash().isEmpty()
        || !e.name().equals(caller.getTenant())) {
      return false;
    }
    return e.type() == EventType.DELETE
        || !e.resource().getTenant().getTokenHash().equals(caller.getTokenHash());
  }

  CompletableFuture<Response> cancel(CancelWatchRequest r, ConnectionWatches watches) {
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

  /**
   * Passes each event once, in revision order. EventLog hands the events of an entry to its
   * subscribers after releasing its lock, so one that subscribes at that moment can receive
   * that entry from the window and again live. Within one entry a resource changes at most
   * once, so (revision, kind, tenant, name) identifies an event and a repeat is dropped.
   */
  static final class Sink implements Consumer<ChangeEvent> {
    private final Consumer<ChangeEvent> next;
    private long revision = -1;
    private final Set<String> seenAtRevision = new HashSet<>();

    Sink(Consumer<ChangeEvent> next) {
      this.next = next;
    }

    @Override
    public synchronized void accept(ChangeEvent e) {
      if (e.revision() < revision) {
        return;
      }
      if (e.revision() > revision) {
        revision = e.revision();
        seenAtRevision.clear();
      }
      if (seenAtRevision.add(e.kind() + "/" + e.tenant() + "/" + e.name())) {
        next.accept(e);
      }
    }
  }
}
