package io.fornax.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.scheduler.placement.Scorer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Invariants over random clusters and workloads, step after step. */
class SchedulerPropertyTest {
  private static final long T0 = 1_000_000;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void invariantsHold(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    SnapshotBuilder b = new SnapshotBuilder();
    int nodes = 1 + rnd.nextInt(30);
    for (int i = 0; i < nodes; i++) {
      NodeState state = rnd.nextInt(6) == 0 ? NodeState.NODE_NOT_READY : NodeState.NODE_READY;
      b.node("n" + i, 500 + rnd.nextInt(4000), 256L + rnd.nextInt(4096), 1 + rnd.nextInt(12),
          n -> n.setStatus(n.getStatus().toBuilder().setState(state)));
    }
    int apps = 1 + rnd.nextInt(5);
    for (int a = 0; a < apps; a++) {
      int min = rnd.nextInt(3);
      int max = min + 1 + rnd.nextInt(8);
      int low = rnd.nextInt(max + 1);
      int high = low + rnd.nextInt(3);
      b.app("a" + a, s -> s.setMinInstances(min).setMaxInstances(max).setIdleSessionsLow(low)
              .setIdleSessionsHigh(high).setBurst(1 + rnd.nextInt(4)).setIdleTimeoutMs(5_000),
          s -> s.setSessionsPerInstance(1 + rnd.nextInt(3)).setOpenTimeoutMs(3_000),
          50 + rnd.nextInt(500), 16L + rnd.nextInt(512));
    }
    SchedulerConfig config = new SchedulerConfig(rnd.nextBoolean() ? Scorer.BINPACK : Scorer.SPREAD,
        1 + rnd.nextInt(5));
    RecordingPlanner p = new RecordingPlanner(b, config, T0);
    int sessions = 0;
    for (int step = 0; step < 40; step++) {
      for (int k = rnd.nextInt(4); k > 0; k--) {
        b.session("a" + rnd.nextInt(apps), "s" + sessions++, p.nowMs);
      }
      for (Session s : java.util.List.copyOf(b.sessions)) {
        if (s.getStatus().getState() == SessionState.SESSION_AVAILABLE && rnd.nextInt(4) == 0) {
          p.closeSession(s.getMeta().getName());
        }
      }
      ClusterSnapshot snap = b.build();
      Clock clock = Clock.fixed(Instant.ofEpochMilli(p.nowMs), ZoneOffset.UTC);
      assertEquals(p.scheduler.schedule(snap, clock, step), p.scheduler.schedule(snap, clock, step),
          "same snapshot and seed, same plan");
      assertEquals(p.scheduler.schedule(snap, clock, step),
          p.scheduler.schedule(b.buildCounted(), clock, step),
          "settled sessions listed or counted per instance, same plan");
      p.step(step);
      checkCapacity(b);
      checkMaxInstances(b);
      p.nowMs += 500;
    }
    p.nowMs += 10_000;
    p.step(1000);
    for (Session s : b.sessions) {
      assertTrue(s.getStatus().getState() != SessionState.SESSION_PENDING,
          "every pending session is bound or timed out: " + s.getMeta().getName());
    }
  }

  private static void checkCapacity(SnapshotBuilder b) {
    for (Node n : b.nodes) {
      long cpu = 0;
      long mem = 0;
      int count = 0;
      for (Instance i : b.instances) {
        if (i.getNode().equals(n.getMeta().getName()) && i.getState() != InstanceState.INSTANCE_TERMINATED) {
          cpu += i.getResources().getCpuMillis();
          mem += i.getResources().getMemoryBytes();
          count++;
        }
      }
      var cap = n.getSpec().getCapacity();
      assertTrue(cpu <= cap.getCpuMillis() && mem <= cap.getMemoryBytes()
          && count <= cap.getMaxInstances(), "node " + n.getMeta().getName() + " over-committed");
      if (count > 0) {
        assertEquals(NodeState.NODE_READY, n.getStatus().getState(), "placed on a node not ready");
      }
    }
  }

  private static void checkMaxInstances(SnapshotBuilder b) {
    for (Application a : b.apps) {
      long live = b.instances.stream().filter(i -> i.getApplication().equals(a.getMeta().getName())
          && i.getState() != InstanceState.INSTANCE_TERMINATED).count();
      assertTrue(live <= a.getSpec().getScaling().getMaxInstances(),
          a.getMeta().getName() + " has " + live + " instances");
    }
  }
}
