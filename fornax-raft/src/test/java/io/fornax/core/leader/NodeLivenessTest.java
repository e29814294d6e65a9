package io.fornax.core.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.NodeStatus;
import io.fornax.api.proto.NodeTransitionCmd;
import io.fornax.api.proto.ObjectMeta;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLivenessTest {
  private final NodeLiveness liveness = new NodeLiveness(Duration.ofSeconds(3), Duration.ofSeconds(10));

  private static Node node(String name, NodeState state) {
    return Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name))
        .setStatus(NodeStatus.newBuilder().setState(state)).build();
  }

  private List<NodeTransitionCmd> at(long now, Node... nodes) {
    return liveness.check(List.of(nodes), now);
  }

  @Test
  void silentNodeGoesNotReadyThenDownAndComesBackOnAHeartbeat() {
    liveness.leaderStarted(0);
    assertTrue(at(2_999, node("n", NodeState.NODE_READY)).isEmpty(), "grace after takeover");
    assertEquals(NodeState.NODE_NOT_READY, at(3_000, node("n", NodeState.NODE_READY)).get(0).getState());
    assertEquals(NodeState.NODE_DOWN, at(10_000, node("n", NodeState.NODE_NOT_READY)).get(0).getState());
    assertTrue(at(20_000, node("n", NodeState.NODE_DOWN)).isEmpty(), "down stays down");
    liveness.beat("n", 20_000);
    NodeTransitionCmd back = at(20_001, node("n", NodeState.NODE_DOWN)).get(0);
    assertEquals(NodeState.NODE_READY, back.getState());
    assertEquals("heartbeat received", back.getReason());
  }

  @Test
  void heartbeatsKeepANodeReady() {
    liveness.leaderStarted(0);
    for (long t = 1_000; t < 30_000; t += 1_000) {
      liveness.beat("n", t);
      assertTrue(at(t + 500, node("n", NodeState.NODE_READY)).isEmpty());
    }
  }

  @Test
  void aNewLeaderGivesEveryNodeAFullGracePeriod() {
    liveness.beat("n", 0);
    liveness.leaderStarted(50_000);
    assertTrue(at(52_000, node("n", NodeState.NODE_READY)).isEmpty());
  }

  @Test
  void drainingNodeStaysDrainingWhileAlive() {
    liveness.leaderStarted(0);
    liveness.beat("n", 100);
    assertTrue(at(200, node("n", NodeState.NODE_DRAINING)).isEmpty());
  }

  @Test
  void aFreshlyRegisteredNodeIsNotDeclaredSilent() {
    liveness.leaderStarted(0);
    Node registered = node("n", NodeState.NODE_READY).toBuilder().setStatus(NodeStatus.newBuilder()
        .setState(NodeState.NODE_READY).setLastTransitionMs(60_000)).build();
    assertTrue(liveness.check(List.of(registered), 61_000).isEmpty());
  }
}
