package io.fornax.core.command;

import com.google.protobuf.StringValue;
import io.fornax.api.FornaxException;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.CloseSessionCmd;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.OpenSessionCmd;
import io.fornax.api.proto.ReservedInstance;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.SessionStatus;
import io.fornax.core.state.Table;
import java.util.Optional;

public final class SessionCommands {
  private SessionCommands() {}

  /** How many serving instances an open looks at before it leaves the session to the scheduler. */
  public static final int BIND_CANDIDATES = 64;

  /**
   * Records a new session: AVAILABLE at once on the instance the leader reserved for it, if the
   * command names one ({@link #onReserved}); else bound when an instance can take it
   * ({@link #bindToServing}), else PENDING for the scheduler. A repeated idempotency key returns
   * the session the first attempt opened and changes nothing.
   */
  static CommandResult.Builder open(ApplyContext ctx, OpenSessionCmd cmd) {
    Session requested = cmd.getSession();
    String tenant = requested.getMeta().getTenant();
    ctx.requireTenant(tenant);
    String idemKey = requested.getSpec().getIdempotencyKey();
    if (!idemKey.isEmpty()) {
      Optional<StringValue> first =
          ctx.txn().get(Table.IDEMPOTENCY, Table.IDEMPOTENCY.key(tenant, idemKey));
      if (first.isPresent()) {
        Optional<Session> existing = ctx.txn().get(Table.SESSIONS,
            Table.SESSIONS.key(tenant, first.get().getValue()));
        if (existing.isPresent()) {
          return result(existing.get());
        }
      }
    }
    TenantCommands.require(ctx, tenant);
    Application app = ApplicationCommands.require(ctx, tenant, requested.getSpec().getApplication());
    String key = Table.SESSIONS.key(tenant, requested.getMeta().getName());
    if (ctx.txn().get(Table.SESSIONS, key).isPresent()) {
      throw new FornaxException(ErrorCode.ALREADY_EXISTS,
          "session \"" + requested.getMeta().getName() + "\" already exists");
    }
    Session session = requested.toBuilder()
        .setMeta(ctx.created(requested.getMeta()))
        .setStatus(SessionStatus.newBuilder()
            .setState(SessionState.SESSION_PENDING)
            .setOpenedAtMs(ctx.nowMs()))
        .build();
    ctx.txn().put(Table.SESSIONS, key, session);
    if (!idemKey.isEmpty()) {
      ctx.txn().put(Table.IDEMPOTENCY, Table.IDEMPOTENCY.key(tenant, idemKey),
          StringValue.of(session.getMeta().getName()));
    }
    if (cmd.hasReserved()) {
      Optional<Session> available = onReserved(ctx, app, session, cmd.getReserved());
      if (available.isPresent()) {
        return result(available.get());
      }
    }
    return result(bindToServing(ctx, app, session));
  }

  /**
   * The leader's warm open: the agent of {@code reserved} opened the session before this command
   * was proposed, so it is bound there and AVAILABLE with the agent's endpoints, in this one
   * entry. Re-checked here (the reservation was the leader's, outside the log): if the instance
   * can no longer take it (taken by another open, stopped, its node silent), empty, and the open
   * goes on as an ordinary one; the agent drops the session when its next assignment omits it.
   */
  static Optional<Session> onReserved(ApplyContext ctx, Application app, Session pending,
      ReservedInstance reserved) {
    String tenant = app.getMeta().getTenant();
    Optional<Instance> i = ctx.txn().get(Table.INSTANCES,
        Table.INSTANCES.key(tenant, reserved.getInstance()));
    if (i.isEmpty() || !i.get().getApplication().equals(app.getMeta().getName())
        || !canTake(ctx, i.get(), app.getSpec().getSession().getSessionsPerInstance())) {
      return Optional.empty();
    }
    Session bound = Sessions.bind(ctx, pending, i.get());
    Session available = bound.toBuilder()
        .setStatus(bound.getStatus().toBuilder().setState(SessionState.SESSION_AVAILABLE)
            .setAvailableAtMs(reserved.getAvailableAtMs() > 0 ? reserved.getAvailableAtMs()
                : ctx.nowMs())
            .addAllEndpoints(reserved.getEndpointsList()))
        .build();
    ctx.txn().put(Table.SESSIONS, Table.SESSIONS.key(tenant, pending.getMeta().getName()),
        available);
    return Optional.of(available);
  }

  /**
   * The warm path, decided in the open's own entry: an instance of the application that can
   * take the session now (with shared instances an ALLOCATED one with room first, then a READY
   * one) on a READY node. Candidates come from the published {@code
   * ServingInstances} index in key order and are re-read through the transaction, so the choice
   * is the same on every replica and sees the earlier commands of the same batch. Anything else
   * (a frozen standby instance to resume, a new instance to place, a waiting reason) stays with
   * the scheduler: the session is left PENDING.
   */
  static Session bindToServing(ApplyContext ctx, Application app, Session pending) {
    String tenant = app.getMeta().getTenant();
    String name = app.getMeta().getName();
    int perInstance = app.getSpec().getSession().getSessionsPerInstance();
    for (String key : ctx.txn().serving().candidates(tenant, name, perInstance > 1,
        BIND_CANDIDATES)) {
      Optional<Instance> i = ctx.txn().get(Table.INSTANCES, key);
      if (i.isPresent() && canTake(ctx, i.get(), perInstance)) {
        return Sessions.bind(ctx, pending, i.get());
      }
    }
    return pending;
  }

  private static boolean canTake(ApplyContext ctx, Instance i, int perInstance) {
    if (!hasRoom(i, perInstance, 0)) {
      return false;
    }
    Optional<Node> node = ctx.txn().get(Table.NODES, i.getNode());
    return node.isPresent() && takesSessions(node.get());
  }

  /**
   * Whether instance {@code i} can take one more session besides {@code held} ones promised
   * elsewhere: READY, or ALLOCATED with fewer than {@code perInstance} sessions. The rule of a
   * warm open, for the apply and for the leader's reservations alike.
   */
  public static boolean hasRoom(Instance i, int perInstance, int held) {
    InstanceState st = i.getState();
    return (st == InstanceState.INSTANCE_READY || st == InstanceState.INSTANCE_ALLOCATED)
        && i.getSessionsCount() + held < perInstance;
  }

  /** READY, not DRAINING (unschedulable) nor NOT_READY (silent agent) nor DOWN. */
  public static boolean takesSessions(Node node) {
    return node.getStatus().getState() == NodeState.NODE_READY;
  }

  /**
   * Closes a session. One not yet bound to an instance closes at once; a bound one goes to
   * CLOSING until its agent confirms, unless the leader had the agent close it first and says
   * so ({@code closed_on} naming the instance it is still open on): then it is CLOSED (and its
   * instance released) in this one entry. Closing a finished session changes nothing.
   */
  static CommandResult.Builder close(ApplyContext ctx, CloseSessionCmd cmd) {
    ctx.requireTenant(cmd.getTenant());
    Session current = ctx.txn().<Session>get(Table.SESSIONS,
            Table.SESSIONS.key(cmd.getTenant(), cmd.getName()))
        .orElseThrow(() -> FornaxException.notFound("session \"%s\" not found", cmd.getName()));
    SessionState state = current.getStatus().getState();
    if (!Sessions.isTerminal(current) && !cmd.getClosedOn().isEmpty()
        && cmd.getClosedOn().equals(current.getStatus().getInstance())) {
      Sessions.release(ctx, current);
      Session closed = Sessions.finish(ctx, current, SessionState.SESSION_CLOSED, "closed by client");
      Sessions.killInstanceOnClose(ctx, closed);
      return result(closed);
    }
    if (Sessions.isTerminal(current) || state == SessionState.SESSION_CLOSING) {
      return result(current);
    }
    if (current.getStatus().getInstance().isEmpty()) {
      return result(Sessions.finish(ctx, current, SessionState.SESSION_CLOSED, "closed by client"));
    }

    Session closing = current.toBuilder()
        .setMeta(ctx.touched(current.getMeta()))
        .setStatus(current.getStatus().toBuilder()
            .setState(SessionState.SESSION_CLOSING)
            .setReason("closed by client"))
        .build();
    ctx.txn().put(Table.SESSIONS, Table.SESSIONS.key(cmd.getTenant(), cmd.getName()), closing);
    return result(closing);
  }

  private static CommandResult.Builder result(Session s) {
    return CommandResult.newBuilder().setResource(Resource.newBuilder().setSession(s));
  }
}
