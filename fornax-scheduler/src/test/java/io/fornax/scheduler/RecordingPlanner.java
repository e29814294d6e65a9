package io.fornax.scheduler;

import io.fornax.api.proto.BindSession;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceAction;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.PlaceInstance;
import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionNote;
import io.fornax.api.proto.SessionState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the scheduler step after step against an in-memory cluster, applying each plan the way
 * the state machine would (placed instances become READY at once, as if their agent answered),
 * and records every plan.
 */
public final class RecordingPlanner {
  final SnapshotBuilder cluster;
  final Scheduler scheduler;
  final List<PlanCmd> plans = new ArrayList<>();
  long nowMs;

  public RecordingPlanner(SnapshotBuilder cluster, SchedulerConfig config, long nowMs) {
    this.cluster = cluster;
    this.scheduler = new Scheduler(config);
    this.nowMs = nowMs;
  }

  public PlanCmd step(long seed) {
    PlanCmd plan = scheduler.schedule(cluster.build(),
        Clock.fixed(Instant.ofEpochMilli(nowMs), ZoneOffset.UTC), seed);
    plans.add(plan);
    apply(plan);
    return plan;
  }

  private void apply(PlanCmd plan) {
    Map<String, Instance> byName = new LinkedHashMap<>();
    cluster.instances.forEach(i -> byName.put(i.getMeta().getName(), i));
    for (PlaceInstance p : plan.getPlaceList()) {
      cluster.instance(p.getApplication(), p.getName(), p.getNode(), InstanceState.INSTANCE_READY, nowMs);
    }
    cluster.instances.replaceAll(i -> {
      for (InstanceAction t : plan.getTerminateList()) {
        if (t.getInstance().equals(i.getMeta().getName())) {
          return i.toBuilder().setState(InstanceState.INSTANCE_TERMINATED).build();
        }
      }
      return i;
    });
    cluster.sessions.replaceAll(s -> {
      for (BindSession b : plan.getBindList()) {
        if (b.getSession().equals(s.getMeta().getName())) {
          return s.toBuilder().setStatus(s.getStatus().toBuilder()
              .setState(SessionState.SESSION_AVAILABLE).setInstance(b.getInstance())).build();
        }
      }
      for (SessionNote n : plan.getTimeoutList()) {
        if (n.getSession().equals(s.getMeta().getName())) {
          return s.toBuilder().setStatus(s.getStatus().toBuilder()
              .setState(SessionState.SESSION_TIMEOUT).setReason(n.getReason())).build();
        }
      }
      for (SessionNote n : plan.getWaitingList()) {
        if (n.getSession().equals(s.getMeta().getName())) {
          return s.toBuilder().setStatus(s.getStatus().toBuilder().setReason(n.getReason())).build();
        }
      }
      return s;
    });
  }

  /** Closes a session; its instance becomes idle now. */
  public void closeSession(String name) {
    String instance = session(name).getStatus().getInstance();
    cluster.sessions.replaceAll(s -> s.getMeta().getName().equals(name)
        ? s.toBuilder().setStatus(s.getStatus().toBuilder().setState(SessionState.SESSION_CLOSED)).build()
        : s);
    cluster.instances.replaceAll(i -> i.getMeta().getName().equals(instance)
        ? i.toBuilder().setIdleSinceMs(nowMs).build() : i);
  }

  public long live(String app) {
    return cluster.instances.stream().filter(i -> i.getApplication().equals(app)
        && i.getState() != InstanceState.INSTANCE_TERMINATED).count();
  }

  public Session session(String name) {
    return cluster.sessions.stream().filter(s -> s.getMeta().getName().equals(name)).findFirst()
        .orElseThrow();
  }
}
