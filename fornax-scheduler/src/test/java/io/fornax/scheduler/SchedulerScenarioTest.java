package io.fornax.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.SessionState;
import org.junit.jupiter.api.Test;

/** Every rule of the scheduler, driven step by step through the harness. */
class SchedulerScenarioTest {
  private static final long GB = 1L << 30;
  private static final long T0 = 1_000_000;

  private static SnapshotBuilder threeNodes() {
    return new SnapshotBuilder().node("n1", 4000, 8 * GB, 20).node("n2", 4000, 8 * GB, 20)
        .node("n3", 4000, 8 * GB, 20);
  }

  private static RecordingPlanner planner(SnapshotBuilder b) {
    return new RecordingPlanner(b, SchedulerConfig.DEFAULT, T0);
  }

  @Test
  void warmPoolIsCreatedWithinBurst() {
    RecordingPlanner p = planner(threeNodes().app("web", s -> s.setIdleSessionsLow(3)
        .setIdleSessionsHigh(5).setBurst(2)));
    assertEquals(2, p.step(1).getPlaceCount(), "burst bounds one step");
    assertEquals(1, p.step(2).getPlaceCount());
    assertEquals(0, p.step(3).getPlaceCount(), "pool full: nothing more");
    assertEquals(3, p.live("web"));
  }

  @Test
  void minInstancesAreKeptAndMaxNeverExceeded() {
    RecordingPlanner p = planner(threeNodes().app("web", s -> s.setMinInstances(2)
        .setMaxInstances(3).setIdleSessionsLow(5).setIdleSessionsHigh(5)));
    for (int i = 0; i < 5; i++) {
      p.step(i);
    }
    assertEquals(3, p.live("web"));
  }

  @Test
  void sessionGoesToAReadyInstanceBeforeCreatingOne() {
    RecordingPlanner p = planner(threeNodes().app("web", s -> s.setIdleSessionsLow(1)
        .setIdleSessionsHigh(1)));
    p.step(1);
    String warm = p.cluster.instances.get(0).getMeta().getName();
    p.cluster.session("web", "s1", T0);
    PlanCmd plan = p.step(2);
    assertEquals(warm, plan.getBind(0).getInstance(), "the warm instance takes the session");
    assertEquals(1, plan.getPlaceCount(), "and the pool is refilled");
  }

  @Test
  void frozenStandbyIsResumedForASessionBeforeANewOneIsCreated() {
    RecordingPlanner p = planner(threeNodes().app("web", s -> s.setStandby(true))
        .instance("web", "frozen", "n1", InstanceState.INSTANCE_STANDBY, T0)
        .session("web", "s1", T0));
    PlanCmd plan = p.step(1);
    assertEquals("frozen", plan.getBind(0).getInstance());
    assertEquals("frozen", plan.getResume(0).getInstance());
    assertEquals(0, plan.getPlaceCount());
  }

  @Test
  void standbyFreezesIdleReadyInstances() {
    RecordingPlanner p = planner(threeNodes().app("web", s -> s.setStandby(true)
        .setIdleSessionsLow(1).setIdleSessionsHigh(1))
        .instance("web", "warm", "n1", InstanceState.INSTANCE_READY, T0));
    assertEquals("warm", p.step(1).getFreeze(0).getInstance());
  }

  @Test
  void sessionsShareInstancesUpToTheBound() {
    RecordingPlanner p = planner(threeNodes().app("chat", s -> s, s -> s.setSessionsPerInstance(3),
        100, 100));
    for (int i = 0; i < 7; i++) {
      p.cluster.session("chat", "s" + i, T0 + i);
    }
    PlanCmd plan = p.step(1);
    assertEquals(7, plan.getBindCount());
    assertEquals(3, plan.getPlaceCount(), "7 sessions at 3 per instance need 3 instances");
  }

  @Test
  void unplaceableSessionWaitsWithTheReasonAndTheAppSaysWhy() {
    RecordingPlanner p = planner(new SnapshotBuilder().node("small", 4000, 64, 10)
        .node("down", 4000, 8 * GB, 10, n -> n.setStatus(n.getStatus().toBuilder()
            .setState(NodeState.NODE_DOWN)))
        .app("web", s -> s).session("web", "s1", T0));
    PlanCmd plan = p.step(1);
    assertEquals(0, plan.getBindCount());
    assertEquals("0/2 nodes: 1 memory exhausted, 1 not ready", plan.getWaiting(0).getReason());
    assertEquals("0/2 nodes: 1 memory exhausted, 1 not ready",
        plan.getStatus(0).getStatus().getUnplaceableReason());
    assertEquals(0, p.step(2).getWaitingCount(), "an unchanged reason is not written again");
  }

  @Test
  void sessionAtMaxInstancesWaitsThenTimesOut() {
    RecordingPlanner p = planner(threeNodes().app("web", s -> s.setMaxInstances(1))
        .instance("web", "only", "n1", InstanceState.INSTANCE_READY, T0)
        .session("web", "busy", T0, SessionState.SESSION_IN_USE, "only")
        .session("web", "s2", T0));
    PlanCmd first = p.step(1);
    assertTrue(first.getWaiting(0).getReason().contains("maxInstances (1)"));
    p.nowMs = T0 + 10_000;
    PlanCmd later = p.step(2);
    assertEquals("s2", later.getTimeout(0).getSession());
    assertTrue(later.getTimeout(0).getReason().startsWith("not available within 10000 ms"));
    assertEquals(SessionState.SESSION_TIMEOUT, p.session("s2").getStatus().getState());
  }

  @Test
  void excessIdleAboveHighGoesNewestFirstAndNeverAnInstanceWithASession() {
    RecordingPlanner p = planner(threeNodes().app("web", s -> s.setIdleSessionsLow(0)
        .setIdleSessionsHigh(1).setBurst(10))
        .instance("web", "old", "n1", InstanceState.INSTANCE_READY, T0)
        .instance("web", "busy", "n1", InstanceState.INSTANCE_READY, T0)
        .instance("web", "new", "n2", InstanceState.INSTANCE_READY, T0)
        .instance("web", "starting", "n3", InstanceState.INSTANCE_CREATING, 0)
        .session("web", "s", T0, SessionState.SESSION_IN_USE, "busy"));
    PlanCmd plan = p.step(1);
    assertEquals(2, plan.getTerminateCount());
    assertEquals("starting", plan.getTerminate(0).getInstance(), "not yet started goes first");
    assertEquals("new", plan.getTerminate(1).getInstance(), "then the newest idle");
  }

  @Test
  void idleTimeoutReapsBeyondThePoolAndAppScalesToZero() {
    RecordingPlanner p = planner(threeNodes().app("fn", s -> s.setMinInstances(0)
        .setIdleSessionsLow(0).setIdleSessionsHigh(2).setIdleTimeoutMs(30_000)));
    p.cluster.session("fn", "s1", T0);
    p.step(1);
    assertEquals(1, p.live("fn"));
    p.closeSession("s1");
    p.step(2);
    assertEquals(1, p.live("fn"), "within the pool and not yet timed out: kept warm");
    p.nowMs = T0 + 30_000;
    p.step(3);
    assertEquals(0, p.live("fn"), "scaled to zero");
  }

  @Test
  void samePlanForTheSameSnapshotAndSeed() {
    SnapshotBuilder b = threeNodes().app("a", s -> s.setIdleSessionsLow(4).setIdleSessionsHigh(4))
        .app("b", s -> s.setMinInstances(3));
    Scheduler s = new Scheduler(SchedulerConfig.DEFAULT);
    java.time.Clock c = java.time.Clock.fixed(java.time.Instant.ofEpochMilli(T0), java.time.ZoneOffset.UTC);
    assertEquals(s.schedule(b.build(), c, 42), s.schedule(b.build(), c, 42));
  }

  @Test
  void boundSessionWhoseInstanceNeverStartsTimesOutAndFreesIt() {
    RecordingPlanner p = planner(threeNodes().app("web", s -> s)
        .instance("web", "stuck", "n1", InstanceState.INSTANCE_CREATING, 0)
        .session("web", "s1", T0, SessionState.SESSION_STARTING, "stuck"));
    p.nowMs = T0 + 10_000;
    PlanCmd plan = p.step(1);
    assertEquals("s1", plan.getTimeout(0).getSession());
    assertTrue(plan.getTimeout(0).getReason().contains("instance stuck did not become ready"));
    assertEquals("stuck", plan.getTerminate(0).getInstance(), "the freed instance is idle above the pool");
  }
}
