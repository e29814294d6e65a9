package io.fornax.core.leader;

import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.NodeTransitionCmd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leader-local liveness: the last heartbeat of each node, in memory only. A node silent for
 * {@code notReadyAfter} becomes NOT_READY, for {@code downAfter} DOWN; a heartbeat brings it back
 * to READY. Only these transitions are committed. A new leader counts every node as seen when it
 * took over, so agents get a full {@code downAfter} to reconnect to it.
 */
final class NodeLiveness {
  private final long notReadyAfterMs;
  private final long downAfterMs;
  private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
  private volatile long leaderSinceMs;

  NodeLiveness(Duration notReadyAfter, Duration downAfter) {
    this.notReadyAfterMs = notReadyAfter.toMillis();
    this.downAfterMs = downAfter.toMillis();
  }

  /** A node heard from: READY, or DRAINING (alive, cordoned by the operator). */
  static boolean isAlive(NodeState state) {
    return state == NodeState.NODE_READY || state == NodeState.NODE_DRAINING;
  }

  void leaderStarted(long nowMs) {
    lastSeen.clear();
    leaderSinceMs = nowMs;
  }

  void beat(String node, long nowMs) {
    lastSeen.put(node, nowMs);
  }

  /** The transitions due now. Draining (cordoned) nodes keep their schedulability flag. */
  List<NodeTransitionCmd> check(Collection<Node> nodes, long nowMs) {
    List<NodeTransitionCmd> out = new ArrayList<>();
    for (Node n : nodes) {
      String name = n.getMeta().getName();
      NodeState current = n.getStatus().getState();
      // Registering (or coming back READY, or being drained) counts as being heard from.
      boolean alive = isAlive(current);
      long heard = Math.max(lastSeen.getOrDefault(name, leaderSinceMs),
          alive ? n.getStatus().getLastTransitionMs() : 0);
      long silent = nowMs - heard;
      NodeState due = silent >= downAfterMs ? NodeState.NODE_DOWN
          : silent >= notReadyAfterMs ? NodeState.NODE_NOT_READY : NodeState.NODE_READY;
      if (current == NodeState.NODE_DOWN && due != NodeState.NODE_READY) {
        continue; // stays down until it is heard from again
      }
      if (due != current && !(current == NodeState.NODE_DRAINING && due == NodeState.NODE_READY)) {
        out.add(NodeTransitionCmd.newBuilder().setNode(name).setState(due)
            .setReason(due == NodeState.NODE_READY ? "heartbeat received"
                : "no heartbeat for " + silent + " ms").build());
      }
    }
    return out;
  }
}
