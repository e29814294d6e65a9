package io.fornax.core.command;

import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.core.state.Table;

/** Session state rules shared by the commands that move sessions. */
final class Sessions {
  private Sessions() {}

  static boolean isTerminal(Session s) {
    SessionState st = s.getStatus().getState();
    return st == SessionState.SESSION_CLOSED || st == SessionState.SESSION_TIMEOUT
        || st == SessionState.SESSION_LOST;
  }

  /** Removes a session from the instance it was bound to, if any. */
  static void release(ApplyContext ctx, Session s) {
    String instance = s.getStatus().getInstance();
    if (instance.isEmpty()) {
      return;
    }
    String key = Table.INSTANCES.key(s.getMeta().getTenant(), instance);
    ctx.txn().<io.fornax.api.proto.Instance>get(Table.INSTANCES, key).ifPresent(i -> {
      java.util.List<String> left = new java.util.ArrayList<>(i.getSessionsList());
      left.remove(s.getMeta().getName());
      io.fornax.api.proto.Instance.Builder b = i.toBuilder().setMeta(ctx.touched(i.getMeta()))
          .clearSessions().addAllSessions(left);
      if (left.isEmpty()) {
        b.setIdleSinceMs(ctx.nowMs());
        if (b.getState() == io.fornax.api.proto.InstanceState.INSTANCE_ALLOCATED) {
          b.setState(io.fornax.api.proto.InstanceState.INSTANCE_READY);
        }
      }
      ctx.txn().put(Table.INSTANCES, key, b.build());
    });
  }

  /** Moves a session to a terminal state with its reason. */
  static Session finish(ApplyContext ctx, Session s, SessionState state, String reason) {
    Session done = s.toBuilder()
        .setMeta(ctx.touched(s.getMeta()))
        .setStatus(s.getStatus().toBuilder()
            .setState(state)
            .setClosedAtMs(ctx.nowMs())
            .setReason(reason)
            .clearEndpoints())
        .build();
    ctx.txn().put(Table.SESSIONS, Table.SESSIONS.key(s.getMeta().getTenant(), s.getMeta().getName()),
        done);
    return done;
  }
}
