package io.fornax.core.command;

import com.google.protobuf.StringValue;
import io.fornax.api.FornaxException;
import io.fornax.api.proto.CloseSessionCmd;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.OpenSessionCmd;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.SessionStatus;
import io.fornax.core.state.Table;
import java.util.Optional;

final class SessionCommands {
  private SessionCommands() {}

  /**
   * Records a new PENDING session for the scheduler to bind. A repeated idempotency key returns
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
    ApplicationCommands.require(ctx, tenant, requested.getSpec().getApplication());
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
    return result(session);
  }

  /**
   * Closes a session. One not yet bound to an instance closes at once; a bound one goes to
   * CLOSING until its agent confirms. Closing a finished session changes nothing.
   */
  static CommandResult.Builder close(ApplyContext ctx, CloseSessionCmd cmd) {
    ctx.requireTenant(cmd.getTenant());
    Session current = ctx.txn().<Session>get(Table.SESSIONS,
            Table.SESSIONS.key(cmd.getTenant(), cmd.getName()))
        .orElseThrow(() -> FornaxException.notFound("session \"%s\" not found", cmd.getName()));
    SessionState state = current.getStatus().getState();
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
