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
