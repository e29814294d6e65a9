package io.fornax.scheduler.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeState;
import io.fornax.scheduler.ClusterSnapshot;
import io.fornax.scheduler.SnapshotBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static final long GB = 1L << 30;

  private static NodeUsage usage(SnapshotBuilder b, int node) {
    ClusterSnapshot s = b.build();
    Node n = s.nodes().get(node);
    return new NodeUsage(n, s.instancesOn(n.getMeta().getName()));
  }

  private static Application app(SnapshotBuilder b) {
    return b.build().applications().get(0);
  }

  static Stream<Arguments> checks() {
    return Stream.of(
        Arguments.of("ready node passes", Checks.READY,
            new SnapshotBuilder().node("n", 1000, GB, 5).app("a", s -> s), true),
        Arguments.of("not-ready node fails", Checks.READY,
            new SnapshotBuilder().node("n", 1000, GB, 5, n -> n.setStatus(n.getStatus().toBuilder()
                .setState(NodeState.NODE_NOT_READY))).app("a", s -> s), false),
        Arguments.of("cordoned node fails", Checks.READY,
            new SnapshotBuilder().node("n", 1000, GB, 5, n -> n.setSpec(n.getSpec().toBuilder()
                .setUnschedulable(true))).app("a", s -> s), false),
        Arguments.of("enough cpu", Checks.CPU,
            new SnapshotBuilder().node("n", 100, GB, 5).app("a", s -> s), true),
        Arguments.of("too little cpu", Checks.CPU,
            new SnapshotBuilder().node("n", 99, GB, 5).app("a", s -> s), false),
        Arguments.of("too little memory", Checks.MEMORY,
            new SnapshotBuilder().node("n", 1000, 99, 5).app("a", s -> s), false),
        Arguments.of("memory taken by live instances", Checks.MEMORY,
            new SnapshotBuilder().node("n", 1000, 150, 5).app("a", s -> s)
                .instance("a", "i1", "n", io.fornax.api.proto.InstanceState.INSTANCE_READY, 0), false),
        Arguments.of("slots full", Checks.SLOTS,
            new SnapshotBuilder().node("n", 1000, GB, 1).app("a", s -> s)
                .instance("a", "i1", "n", io.fornax.api.proto.InstanceState.INSTANCE_PENDING, 0), false),
        Arguments.of("finished instances free their slot", Checks.SLOTS,
            new SnapshotBuilder().node("n", 1000, GB, 1).app("a", s -> s)
                .instance("a", "i1", "n", io.fornax.api.proto.InstanceState.INSTANCE_FAILED, 0), true),
        Arguments.of("selector matches", Checks.SELECTOR,
            withSelector(new SnapshotBuilder().node("n", 1000, GB, 5, n -> n.setMeta(n.getMeta()
                .toBuilder().putLabels("zone", "a")))), true),
        Arguments.of("selector misses", Checks.SELECTOR,
            withSelector(new SnapshotBuilder().node("n", 1000, GB, 5)), false));
  }

  private static SnapshotBuilder withSelector(SnapshotBuilder b) {
    b.app("a", s -> s);
    Application a = b.apps.get(0);
    b.apps.set(0, a.toBuilder().setSpec(a.getSpec().toBuilder().putNodeSelector("zone", "a")).build());
    return b;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checks")
  void check(String name, FeasibilityCheck check, SnapshotBuilder cluster, boolean expected) {
    assertEquals(expected, check.feasible(usage(cluster, 0), app(cluster)));
  }

  @Test
  void binpackPrefersTheFullerNodeAndSpreadTheEmptier() {
    SnapshotBuilder b = new SnapshotBuilder().node("busy", 1000, GB, 10).node("empty", 1000, GB, 10)
        .app("a", s -> s).instance("a", "i1", "busy", io.fornax.api.proto.InstanceState.INSTANCE_READY, 0);
    NodeUsage busy = usage(b, 0);
    NodeUsage empty = usage(b, 1);
    assertTrue(Scorer.BINPACK.score(busy, app(b)) > Scorer.BINPACK.score(empty, app(b)));
    assertTrue(Scorer.SPREAD.score(empty, app(b)) > Scorer.SPREAD.score(busy, app(b)));
  }

  @Test
  void failureExplainsEveryRejectedNode() {
    SnapshotBuilder b = new SnapshotBuilder()
        .node("a", 1000, 10, 5).node("b", 1000, 10, 5)
        .node("c", 1000, GB, 5, n -> n.setStatus(n.getStatus().toBuilder().setState(NodeState.NODE_DOWN)))
        .app("x", s -> s);
    ClusterSnapshot s = b.build();
    Placer p = new Placer(s.nodes(), n -> new NodeUsage(n, List.of()), 1, Scorer.BINPACK, 4);
    Placer.Result r = p.place(app(b));
    assertFalse(r.ok());
    assertEquals("0/3 nodes: 2 memory exhausted, 1 not ready", r.reason());
  }

  @Test
  void placementsBookCapacityWithinOnePlan() {
    SnapshotBuilder b = new SnapshotBuilder().node("n", 250, GB, 10).app("x", s -> s);
    ClusterSnapshot s = b.build();
    Placer p = new Placer(s.nodes(), n -> new NodeUsage(n, List.of()), 1, Scorer.BINPACK, 4);
    assertTrue(p.place(app(b)).ok());
    assertTrue(p.place(app(b)).ok());
    assertEquals("0/1 nodes: 1 cpu exhausted", p.place(app(b)).reason());
  }
}
