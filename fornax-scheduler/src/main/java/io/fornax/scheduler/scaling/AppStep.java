package io.fornax.scheduler.scaling;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationStatus;
import io.fornax.api.proto.ApplicationStatusUpdate;
import io.fornax.api.proto.BindSession;
import io.fornax.api.proto.InstanceAction;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.PlaceInstance;
import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.ScalingEvent;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionNote;
import io.fornax.scheduler.ClusterSnapshot;
import io.fornax.scheduler.placement.Placer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One scheduling step for one application, in this order: time out sessions that waited too
 * long, bind pending sessions (ready instance, then standby, then one being created, then a new
 * one), then keep the warm pool between idleSessionsLow and idleSessionsHigh within
 * min/maxInstances, at most {@code burst} creations and deletions per step.
 */
public final class AppStep {
  private final AppView view;
  private final Placer placer;
  private final PlanCmd.Builder plan;
  private final long nowMs;
  private final Supplier<String> names;
  private final String tenant;
  private final String appName;
  private final ScalingPolicy scaling;
  private final List<String> events = new ArrayList<>();
  private int created;
  private int deleted;
  private String unplaceable = "";

  public AppStep(Application app, ClusterSnapshot snap, Placer placer, PlanCmd.Builder plan,
      long nowMs, Supplier<String> names) {
    this.tenant = app.getMeta().getTenant();
    this.appName = app.getMeta().getName();
    this.view = new AppView(app, snap.instances(tenant, appName), snap.sessions(tenant, appName),
        instance -> snap.settledSessions(tenant, instance));
    this.placer = placer;
    this.plan = plan;
    this.nowMs = nowMs;
    this.names = names;
    this.scaling = app.getSpec().getScaling();
  }

  public void run() {
    timeOutSessions();
    bindSessions();
    growPool();
    shrinkPool();
    freezeIdle();
    status();
  }

  /** PENDING or STARTING past the open timeout: TIMEOUT, and a bound one frees its instance. */
  private void timeOutSessions() {
    view.pending.removeIf(s -> timedOut(s, "no instance became available"));
    for (Session s : view.starting) {
      if (timedOut(s, "instance " + s.getStatus().getInstance() + " did not become ready")) {
        AppView.Slot slot = view.slots.get(s.getStatus().getInstance());
        if (slot != null) {
          view.sessions(slot, -1);
        }
      }
    }
  }

  private boolean timedOut(Session s, String defaultWhy) {
    long timeout = s.getSpec().getOpenTimeoutMs() > 0 ? s.getSpec().getOpenTimeoutMs()
        : view.app.getSpec().getSession().getOpenTimeoutMs();
    if (nowMs - s.getStatus().getOpenedAtMs() < timeout) {
      return false;
    }
    String why = s.getStatus().getReason().isEmpty() ? defaultWhy : s.getStatus().getReason();
    plan.addTimeout(note(s, "not available within " + timeout + " ms: " + why));
    return true;
  }

  private void bindSessions() {
    for (Session s : view.pending) {
      AppView.Slot slot = findSlot();
      if (slot == null && view.total() < scaling.getMaxInstances()) {
        slot = create("session " + s.getMeta().getName() + " needs an instance");
      }
      if (slot == null) {
        String why = !unplaceable.isEmpty() ? unplaceable
            : "application is at maxInstances (" + scaling.getMaxInstances() + ")";
        if (!why.equals(s.getStatus().getReason())) {
          plan.addWaiting(note(s, why));
        }
        continue;
      }
      if (slot.state == InstanceState.INSTANCE_STANDBY) {
        plan.addResume(action(slot.name, "session " + s.getMeta().getName() + " opened"));
        slot.state = InstanceState.INSTANCE_READY;
      }
      view.sessions(slot, 1);
      plan.addBind(BindSession.newBuilder().setTenant(tenant).setSession(s.getMeta().getName())
          .setInstance(slot.name));
    }
  }

  /** A ready instance with room first, then a frozen one, then one still being created. */
  private AppView.Slot findSlot() {
    AppView.Slot standby = null;
    AppView.Slot starting = null;
    for (AppView.Slot s : view.slots.values()) {
      if (s.terminating || s.sessions >= view.perInstance()) {
        continue;
      }
      if (s.state == InstanceState.INSTANCE_READY || s.state == InstanceState.INSTANCE_ALLOCATED) {
        return s;
      }
      if (s.state == InstanceState.INSTANCE_STANDBY && standby == null) {
        standby = s;
      } else if (s.starting() && starting == null) {
        starting = s;
      }
    }
    return standby != null ? standby : starting;
  }

  private AppView.Slot create(String why) {
    if (created >= scaling.getBurst()) {
      return null;
    }
    Placer.Result r = placer.place(view.app);
    if (!r.ok()) {
      unplaceable = r.reason();
      return null;
    }
    String name = names.get();
    plan.addPlace(PlaceInstance.newBuilder().setTenant(tenant).setApplication(appName)
        .setName(name).setNode(r.node()).setResources(view.app.getSpec().getResources()));
    AppView.Slot slot = new AppView.Slot(name, InstanceState.INSTANCE_PENDING, Long.MAX_VALUE,
        0, true);
    view.add(slot);
    created++;
    events.add("created " + name + " on " + r.node() + ": " + why);
    return slot;
  }

  private void growPool() {
    int want = Math.max(scaling.getIdleSessionsLow() - view.idleCount(),
        scaling.getMinInstances() - view.total());
    for (int i = 0; i < want && view.total() < scaling.getMaxInstances(); i++) {
      if (create("warm pool below " + scaling.getIdleSessionsLow() + " idle") == null) {
        break;
      }
    }
  }

  /**
   * Above idleSessionsHigh the excess goes at once; between low and high, instances idle longer
   * than idleTimeout go. Starting instances go first, then idle ones newest first; an instance
   * with a session never; never below minInstances.
   */
  private void shrinkPool() {
    if (view.idleCount() <= Math.min(scaling.getIdleSessionsLow(), scaling.getIdleSessionsHigh())
        || view.total() <= scaling.getMinInstances() || scaling.getBurst() == 0) {
      return; // nothing over high, nothing that may time out: spare the sort
    }
    List<AppView.Slot> idle = new ArrayList<>(view.idle());
    idle.removeIf(s -> s.isNew);
    idle.sort(Comparator.comparing((AppView.Slot s) -> !s.starting())
        .thenComparing(Comparator.comparingLong((AppView.Slot s) -> s.createRevision).reversed()));
    int excess = view.idleCount() - scaling.getIdleSessionsHigh();
    for (AppView.Slot s : idle) {
      if (deleted >= scaling.getBurst() || view.total() <= scaling.getMinInstances()) {
        return;
      }
      int idleNow = view.idleCount();
      boolean overHigh = excess > 0;
      boolean timedOut = idleNow > scaling.getIdleSessionsLow() && !s.starting()
          && s.idleSinceMs > 0 && nowMs - s.idleSinceMs >= scaling.getIdleTimeoutMs();
      if (overHigh || timedOut) {
        terminate(s, overHigh ? "warm pool above " + scaling.getIdleSessionsHigh() + " idle"
            : "idle for more than " + scaling.getIdleTimeoutMs() + " ms");
        excess--;
      }
    }
  }

  private void terminate(AppView.Slot s, String why) {
    view.terminate(s);
    deleted++;
    plan.addTerminate(action(s.name, why));
    events.add("terminating " + s.name + ": " + why);
  }

  private void freezeIdle() {
    if (!scaling.getStandby()) {
      return;
    }
    for (AppView.Slot s : view.live()) {
      if (s.sessions == 0 && s.state == InstanceState.INSTANCE_READY) {
        plan.addFreeze(action(s.name, "idle; standby keeps it frozen until a session arrives"));
      }
    }
  }

  private void status() {
    Map<String, Integer> c = view.counts();
    ApplicationStatus.Builder st = view.app.getStatus().toBuilder()
        .setDesiredInstances(Math.min(scaling.getMaxInstances(), Math.max(scaling.getMinInstances(),
            c.getOrDefault("allocated", 0) + scaling.getIdleSessionsLow())))
        .setTotalInstances(view.total())
        .setPendingInstances(c.getOrDefault("pending", 0))
        .setIdleInstances(c.getOrDefault("idle", 0))
        .setAllocatedInstances(c.getOrDefault("allocated", 0))
        .setTerminatingInstances(c.getOrDefault("terminating", 0))
        .setUnplaceableReason(unplaceable);
    for (String e : events) {
      st.addEvents(ScalingEvent.newBuilder().setAtMs(nowMs).setMessage(e));
    }
    while (st.getEventsCount() > 10) {
      st.removeEvents(0); // the last ten are kept
    }
    ApplicationStatus status = st.build();
    if (!status.equals(view.app.getStatus())) {
      plan.addStatus(ApplicationStatusUpdate.newBuilder().setTenant(tenant).setApplication(appName)
          .setStatus(status));
    }
  }

  private InstanceAction action(String instance, String reason) {
    return InstanceAction.newBuilder().setTenant(tenant).setInstance(instance).setReason(reason)
        .build();
  }

  private SessionNote note(Session s, String reason) {
    return SessionNote.newBuilder().setTenant(tenant).setSession(s.getMeta().getName())
        .setReason(reason).build();
  }
}
