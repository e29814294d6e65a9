package io.fornax.core.command;

import io.fornax.api.Nullable;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.NodeReportCmd;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionReport;
import io.fornax.api.proto.SessionState;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.Table;

/** Rules for what an agent's report does to the state, shared by apply and the leader. */
public final class Reports {
  private Reports() {}

  /** The state to record for {@code reported}, or null if it is not a legal move from here. */
  static @Nullable InstanceState effective(Instance i, InstanceState reported) {
    InstanceState cur = i.getState();
    boolean finished = cur == InstanceState.INSTANCE_TERMINATED || cur == InstanceState.INSTANCE_FAILED;
    if (finished) {
      return null;
    }
    return switch (reported) {
      case INSTANCE_FAILED -> InstanceState.INSTANCE_FAILED;
      case INSTANCE_TERMINATED -> cur == InstanceState.INSTANCE_TERMINATING
          ? InstanceState.INSTANCE_TERMINATED : InstanceState.INSTANCE_FAILED;
      case INSTANCE_CREATING -> cur == InstanceState.INSTANCE_PENDING ? InstanceState.INSTANCE_CREATING : cur;
      // Allocation is the core's business: an instance with sessions stays ALLOCATED.
      case INSTANCE_READY, INSTANCE_STANDBY -> cur == InstanceState.INSTANCE_TERMINATING ? cur
          : i.getSessionsCount() > 0 ? InstanceState.INSTANCE_ALLOCATED : reported;
      default -> null;
    };
  }

  /**
   * {@code cmd} without the items that change nothing in {@code state}: an instance on the node
   * already in the state the report leads to, a session already AVAILABLE there. A reconnecting
   * agent re-sends everything it runs; after a failover a thousand such reports would otherwise
   * each cost a commit that changes nothing. Only exact no-ops are dropped (illegal moves and
   * every change stay, for apply to judge), so applying the rest on a later state gives what the
   * whole report would have: the state only moves by the core's own commands in between, and
   * those leave a reported no-op a no-op or an illegal move.
   */
  public static NodeReportCmd withoutNoOps(ResourceState state, NodeReportCmd cmd) {
    NodeReportCmd.Builder out = cmd.toBuilder().clearInstances().clearSessions();
    for (InstanceReport rep : cmd.getInstancesList()) {
      Instance i = state.get(Table.INSTANCES, Table.INSTANCES.key(rep.getTenant(), rep.getName()));
      if (i == null || !i.getNode().equals(cmd.getNode())
          || effective(i, rep.getState()) != i.getState()) {
        out.addInstances(rep);
      }
    }
    for (SessionReport rep : cmd.getSessionsList()) {
      Session s = state.get(Table.SESSIONS, Table.SESSIONS.key(rep.getTenant(), rep.getName()));
      boolean noOp = s != null && s.getStatus().getNode().equals(cmd.getNode())
          && rep.getState() == SessionState.SESSION_AVAILABLE
          && s.getStatus().getState() == SessionState.SESSION_AVAILABLE;
      if (!noOp) {
        out.addSessions(rep);
      }
    }
    return out.build();
  }

  /** Whether {@code cmd} carries nothing to apply. */
  public static boolean isEmpty(NodeReportCmd cmd) {
    return cmd.getInstancesCount() == 0 && cmd.getSessionsCount() == 0
        && cmd.getMissingCount() == 0;
  }
}
