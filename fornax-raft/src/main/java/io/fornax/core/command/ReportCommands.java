package io.fornax.core.command;

import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.NodeReportCmd;
import io.fornax.api.proto.PlanResult;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionReport;
import io.fornax.api.proto.SessionState;
import io.fornax.core.state.Table;
import java.util.Optional;

/**
 * Applies what an agent reported. Agents are told, never trusted blindly: a report only moves an
 * instance that is on the reporting node, along an allowed transition; anything else is skipped
 * and counted.
 */
final class ReportCommands {
  private final ApplyContext ctx;
  private final String node;
  private final PlanResult.Builder result = PlanResult.newBuilder();

  private ReportCommands(ApplyContext ctx, String node) {
    this.ctx = ctx;
    this.node = node;
  }

  static CommandResult.Builder apply(ApplyContext ctx, NodeReportCmd cmd) {
    ctx.requireAdmin("reporting node state");
    ReportCommands r = new ReportCommands(ctx, cmd.getNode());
    cmd.getInstancesList().forEach(r::instance);
    cmd.getMissingList().forEach(m -> r.instance(m.toBuilder().setState(InstanceState.INSTANCE_FAILED)
        .setReason("missing on node " + cmd.getNode() + " after its agent reconnected").build()));
    cmd.getSessionsList().forEach(r::session);
    return CommandResult.newBuilder().setPlan(r.result);
  }

  private void instance(InstanceReport rep) {
    String key = Table.INSTANCES.key(rep.getTenant(), rep.getName());
    Optional<Instance> found = ctx.txn().get(Table.INSTANCES, key);
    if (found.isEmpty() || !found.get().getNode().equals(node)) {
      skip("instance " + rep.getName() + " is not on node " + node);
      return;
    }
    Instance i = found.get();
    InstanceState to = Reports.effective(i, rep.getState());
    if (to == null) {
      skip("instance " + rep.getName() + ": " + i.getState() + " -> " + rep.getState() + " not allowed");
      return;
    }
    if (to == i.getState()) {
      return;
    }
    Instance.Builder b = i.toBuilder().setMeta(ctx.touched(i.getMeta())).setState(to);
    if (to == InstanceState.INSTANCE_FAILED || to == InstanceState.INSTANCE_TERMINATED) {
      String why = to == InstanceState.INSTANCE_FAILED
          ? "instance " + i.getMeta().getName() + " failed: "
              + (rep.getReason().isEmpty() ? "exit code " + rep.getExitCode() : rep.getReason())
          : "instance terminated";
      b.setExitCode(rep.getExitCode()).setExitReason(rep.getReason().isEmpty() ? why : rep.getReason());
      for (String s : i.getSessionsList()) {
        ctx.txn().<Session>get(Table.SESSIONS, Table.SESSIONS.key(rep.getTenant(), s))
            .filter(x -> !Sessions.isTerminal(x))
            .ifPresent(x -> Sessions.finish(ctx, x, SessionState.SESSION_LOST, why));
      }
      b.clearSessions();
    }
    ctx.txn().put(Table.INSTANCES, key, b.build());
    applied();
  }

  private void session(SessionReport rep) {
    String key = Table.SESSIONS.key(rep.getTenant(), rep.getName());
    Optional<Session> found = ctx.txn().get(Table.SESSIONS, key);
    if (found.isEmpty() || !found.get().getStatus().getNode().equals(node) || Sessions.isTerminal(found.get())) {
      skip("session " + rep.getName() + " is not open on node " + node);
      return;
    }
    Session s = found.get();
    if (!rep.getInstance().isEmpty() && !rep.getInstance().equals(s.getStatus().getInstance())) {
      // About a session on an instance it is not bound to (a warm open that fell back to another).
      skip("session " + rep.getName() + " is bound to " + s.getStatus().getInstance() + ", not "
          + rep.getInstance());
      return;
    }
    SessionState cur = s.getStatus().getState();
    switch (rep.getState()) {
      case SESSION_AVAILABLE -> {
        if (cur != SessionState.SESSION_STARTING) {
          skip("session " + rep.getName() + " is " + cur + ", not STARTING");
          return;
        }
        ctx.txn().put(Table.SESSIONS, key, s.toBuilder().setMeta(ctx.touched(s.getMeta()))
            .setStatus(s.getStatus().toBuilder().setState(SessionState.SESSION_AVAILABLE)
                .setAvailableAtMs(ctx.nowMs()).clearEndpoints().addAllEndpoints(rep.getEndpointsList())
                .clearReason())
            .build());
      }
      case SESSION_CLOSED, SESSION_LOST -> {
        Sessions.release(ctx, s);
        SessionState end = cur == SessionState.SESSION_CLOSING ? SessionState.SESSION_CLOSED : rep.getState();
        String why = cur == SessionState.SESSION_CLOSING ? s.getStatus().getReason()
            : rep.getReason().isEmpty() ? "closed by the instance" : rep.getReason();
        Sessions.finish(ctx, s, end, why);
        Sessions.killInstanceOnClose(ctx, s);
      }
      default -> {
        skip("session " + rep.getName() + ": agents report AVAILABLE, CLOSED or LOST only");
        return;
      }
    }
    applied();
  }

  private void applied() {
    result.setApplied(result.getApplied() + 1);
  }

  private void skip(String why) {
    result.setSkipped(result.getSkipped() + 1);
    if (result.getSkippedReasonsCount() < 10) {
      result.addSkippedReasons(why);
    }
  }
}
