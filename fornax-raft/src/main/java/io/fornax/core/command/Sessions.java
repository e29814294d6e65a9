package io.fornax.core.command;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.core.state.Table;
import java.util.Optional;

/** Session state rules shared by the commands that move sessions. */
final class Sessions {
  private Sessions() {}

  static boolean isTerminal(Session s) {
    SessionState st = s.getStatus().getState();
    return st == SessionState.SESSION_CLOSED || st == SessionState.SESSION_TIMEOUT
        || st == SessionState.SESSION_LOST;
  }

  /**
   * Binds a PENDING session to an instance with room: the session becomes STARTING on the
   * instance's node, a READY instance becomes ALLOCATED. Returns the session as stored.
   */
  static Session bind(ApplyContext ctx, Session s, Instance i) {
    Instance.Builder inst = i.toBuilder().setMeta(ctx.touched(i.getMeta()))
        .addSessions(s.getMeta().getName()).setIdleSinceMs(0);
    if (inst.getState() == InstanceState.INSTANCE_READY) {
      inst.setState(InstanceState.INSTANCE_ALLOCATED);
    }
    ctx.txn().put(Table.INSTANCES, Table.INSTANCES.key(i.getMeta().getTenant(),
        i.getMeta().getName()), inst.build());
    Session bound = s.toBuilder().setMeta(ctx.touched(s.getMeta()))
        .setStatus(s.getStatus().toBuilder().setState(SessionState.SESSION_STARTING)
            .setInstance(i.getMeta().getName()).setNode(i.getNode()).clearReason())
        .build();
    ctx.txn().put(Table.SESSIONS, Table.SESSIONS.key(s.getMeta().getTenant(),
        s.getMeta().getName()), bound);
    return bound;
  }

  /** Removes a session from the instance it was bound to, if any. */
  static void release(ApplyContext ctx, Session s) {
    String instance = s.getStatus().getInstance();
    if (instance.isEmpty()) {
      return;
    }
    String key = Table.INSTANCES.key(s.getMeta().getTenant(), instance);
    ctx.txn().<Instance>get(Table.INSTANCES, key).ifPresent(i -> {
      java.util.List<String> left = new java.util.ArrayList<>(i.getSessionsList());
      left.remove(s.getMeta().getName());
      Instance.Builder b = i.toBuilder().setMeta(ctx.touched(i.getMeta()))
          .clearSessions().addAllSessions(left);
      if (left.isEmpty()) {
        b.setIdleSinceMs(ctx.nowMs());
        if (b.getState() == InstanceState.INSTANCE_ALLOCATED) {
          b.setState(InstanceState.INSTANCE_READY);
        }
      }
      ctx.txn().put(Table.INSTANCES, key, b.build());
    });
  }

  /** Stateful applications ({@code killInstanceOnClose}): the instance dies with its session. */
  static void killInstanceOnClose(ApplyContext ctx, Session s) {
    String tenant = s.getMeta().getTenant();
    Optional<Application> app = ctx.txn().get(Table.APPLICATIONS,
        Table.APPLICATIONS.key(tenant, s.getSpec().getApplication()));
    if (app.isEmpty() || !app.get().getSpec().getSession().getKillInstanceOnClose()) {
      return;
    }
    String key = Table.INSTANCES.key(tenant, s.getStatus().getInstance());
    ctx.txn().<Instance>get(Table.INSTANCES, key)
        .filter(i -> !Instances.isFinished(i) && i.getSessionsCount() == 0)
        .ifPresent(i -> ctx.txn().put(Table.INSTANCES, key, i.toBuilder()
            .setMeta(ctx.touched(i.getMeta())).setState(InstanceState.INSTANCE_TERMINATING)
            .setExitReason("session " + s.getMeta().getName() + " closed (killInstanceOnClose)")
            .build()));
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
