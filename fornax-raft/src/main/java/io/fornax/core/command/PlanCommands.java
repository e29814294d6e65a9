package io.fornax.core.command;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationStatusUpdate;
import io.fornax.api.proto.BindSession;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceAction;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PlaceInstance;
import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.PlanResult;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionNote;
import io.fornax.api.proto.SessionState;
import io.fornax.core.state.Table;
import java.util.Optional;

/**
 * Applies a scheduler plan, re-checking every action against the state it lands on (a plan is
 * computed from a snapshot that may be a few entries old): an action that no longer holds is
 * skipped and counted, never half-applied.
 */
final class PlanCommands {
  private static final int MAX_REASONS = 10;

  private final ApplyContext ctx;
  private final PlanResult.Builder result = PlanResult.newBuilder();
  private Capacity capacity;

  private PlanCommands(ApplyContext ctx) {
    this.ctx = ctx;
  }

  static CommandResult.Builder apply(ApplyContext ctx, PlanCmd plan) {
    ctx.requireAdmin("applying a scheduler plan");
    PlanCommands p = new PlanCommands(ctx);
    // The scheduler's order: timeouts free instances before sessions are bound or pools shrink.
    plan.getTimeoutList().forEach(p::timeout);
    plan.getPlaceList().forEach(p::place);
    plan.getBindList().forEach(p::bind);
    plan.getResumeList().forEach(a -> p.move(a, InstanceState.INSTANCE_STANDBY, InstanceState.INSTANCE_READY));
    plan.getFreezeList().forEach(a -> p.move(a, InstanceState.INSTANCE_READY, InstanceState.INSTANCE_STANDBY));
    plan.getTerminateList().forEach(p::terminate);
    plan.getWaitingList().forEach(p::waiting);
    plan.getStatusList().forEach(p::status);
    return CommandResult.newBuilder().setPlan(p.result);
  }

  private void place(PlaceInstance p) {
    Optional<Application> app = ctx.txn().get(Table.APPLICATIONS,
        Table.APPLICATIONS.key(p.getTenant(), p.getApplication()));
    Optional<Node> node = ctx.txn().get(Table.NODES, p.getNode());
    String key = Table.INSTANCES.key(p.getTenant(), p.getName());
    if (app.isEmpty() || node.isEmpty()) {
      skip("place " + p.getName() + ": application or node gone");
    } else if (ctx.txn().get(Table.INSTANCES, key).isPresent()) {
      skip("place " + p.getName() + ": name taken");
    } else if (node.get().getStatus().getState() != NodeState.NODE_READY
        || node.get().getSpec().getUnschedulable()) {
      skip("place " + p.getName() + ": node " + p.getNode() + " not schedulable");
    } else if (!capacity().fits(node.get(), p.getResources())) {
      skip("place " + p.getName() + ": node " + p.getNode() + " has no room");
    } else if (capacity().liveInstances(p.getTenant(), p.getApplication())
        >= app.get().getSpec().getScaling().getMaxInstances()) {
      skip("place " + p.getName() + ": application at maxInstances");
    } else {
      ctx.txn().put(Table.INSTANCES, key, Instance.newBuilder()
          .setMeta(ctx.created(ObjectMeta.newBuilder().setTenant(p.getTenant()).setName(p.getName())
              .setUid(p.getName()).build()))
          .setApplication(p.getApplication()).setNode(p.getNode())
          .setState(InstanceState.INSTANCE_PENDING).setResources(p.getResources())
          .setIdleSinceMs(ctx.nowMs())
          .build());
      capacity().add(p.getNode(), p.getTenant() + "/" + p.getApplication(), p.getResources());
      applied();
    }
  }

  private Capacity capacity() {
    if (capacity == null) {
      capacity = new Capacity(ctx);
    }
    return capacity;
  }

  private void bind(BindSession b) {
    String sKey = Table.SESSIONS.key(b.getTenant(), b.getSession());
    String iKey = Table.INSTANCES.key(b.getTenant(), b.getInstance());
    Optional<Session> s = ctx.txn().get(Table.SESSIONS, sKey);
    Optional<Instance> i = ctx.txn().get(Table.INSTANCES, iKey);
    if (s.isEmpty() || s.get().getStatus().getState() != SessionState.SESSION_PENDING) {
      skip("bind " + b.getSession() + ": no longer pending");
      return;
    }
    if (i.isEmpty() || Instances.isFinished(i.get())
        || !i.get().getApplication().equals(s.get().getSpec().getApplication())) {
      skip("bind " + b.getSession() + ": instance " + b.getInstance() + " unusable");
      return;
    }
    Optional<Application> app = ctx.txn().get(Table.APPLICATIONS,
        Table.APPLICATIONS.key(b.getTenant(), s.get().getSpec().getApplication()));
    int bound = i.get().getSessionsCount();
    if (app.isEmpty() || bound >= app.get().getSpec().getSession().getSessionsPerInstance()) {
      skip("bind " + b.getSession() + ": instance " + b.getInstance() + " is full");
      return;
    }
    Sessions.bind(ctx, s.get(), i.get());
    applied();
  }

  private void move(InstanceAction a, InstanceState from, InstanceState to) {
    String key = Table.INSTANCES.key(a.getTenant(), a.getInstance());
    Optional<Instance> i = ctx.txn().get(Table.INSTANCES, key);
    if (i.isEmpty() || i.get().getState() != from) {
      skip(to + " " + a.getInstance() + ": not " + from);
      return;
    }
    ctx.txn().put(Table.INSTANCES, key, i.get().toBuilder().setMeta(ctx.touched(i.get().getMeta()))
        .setState(to).build());
    applied();
  }

  private void terminate(InstanceAction a) {
    String key = Table.INSTANCES.key(a.getTenant(), a.getInstance());
    Optional<Instance> i = ctx.txn().get(Table.INSTANCES, key);
    if (i.isEmpty() || Instances.isFinished(i.get()) || i.get().getSessionsCount() > 0) {
      skip("terminate " + a.getInstance() + ": gone or has sessions");
      return;
    }
    ctx.txn().put(Table.INSTANCES, key, i.get().toBuilder().setMeta(ctx.touched(i.get().getMeta()))
        .setState(InstanceState.INSTANCE_TERMINATING).setExitReason(a.getReason()).build());
    applied();
  }

  private void timeout(SessionNote n) {
    String key = Table.SESSIONS.key(n.getTenant(), n.getSession());
    Optional<Session> s = ctx.txn().get(Table.SESSIONS, key);
    SessionState st = s.map(x -> x.getStatus().getState()).orElse(SessionState.SESSION_CLOSED);
    if (st != SessionState.SESSION_PENDING && st != SessionState.SESSION_STARTING) {
      skip("timeout " + n.getSession() + ": not waiting");
      return;
    }
    Sessions.release(ctx, s.get());
    Sessions.finish(ctx, s.get(), SessionState.SESSION_TIMEOUT, n.getReason());
    applied();
  }

  private void waiting(SessionNote n) {
    String key = Table.SESSIONS.key(n.getTenant(), n.getSession());
    Optional<Session> s = ctx.txn().get(Table.SESSIONS, key);
    if (s.isEmpty() || s.get().getStatus().getState() != SessionState.SESSION_PENDING) {
      skip("waiting " + n.getSession() + ": not pending");
      return;
    }
    ctx.txn().put(Table.SESSIONS, key, s.get().toBuilder().setMeta(ctx.touched(s.get().getMeta()))
        .setStatus(s.get().getStatus().toBuilder().setReason(n.getReason())).build());
    applied();
  }

  private void status(ApplicationStatusUpdate u) {
    String key = Table.APPLICATIONS.key(u.getTenant(), u.getApplication());
    Optional<Application> app = ctx.txn().get(Table.APPLICATIONS, key);
    if (app.isEmpty()) {
      skip("status " + u.getApplication() + ": gone");
      return;
    }
    ctx.txn().put(Table.APPLICATIONS, key, app.get().toBuilder()
        .setMeta(ctx.touched(app.get().getMeta())).setStatus(u.getStatus()).build());
    applied();
  }

  private void applied() {
    result.setApplied(result.getApplied() + 1);
  }

  private void skip(String reason) {
    result.setSkipped(result.getSkipped() + 1);
    if (result.getSkippedReasonsCount() < MAX_REASONS) {
      result.addSkippedReasons(reason);
    }
  }
}
