package io.fornax.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.client.FornaxClient;
import io.fornax.client.OpenOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 5: kill -9 an agent. Within the node-down timeout its sessions are LOST with a reason
 * and the warm pool is rebuilt on the other node; restarted, the agent leaves no process of its
 * old instances running.
 */
class AgentCrashIT {
  private static final Duration DOWN_AFTER = Duration.ofSeconds(3);
  @RegisterExtension final ClusterExtension clusters = new ClusterExtension();

  @ParameterizedTest(name = "run {0}")
  @MethodSource("io.fornax.it.Repeat#runs")
  void crashedAgentsSessionsAreLostAndItsInstancesCleanedUp(int run) {
    FornaxCluster cluster = clusters.start(ClusterOptions.defaults()
        .nodeTimeouts(Duration.ofSeconds(1), DOWN_AFTER)
        .agent("node-a").agent("node-b", 0, false));
    FornaxClient admin = cluster.client();
    FornaxClient acme = Setup.tenantWithNodes(cluster, "acme", 1);
    acme.applications().create(TestApps.echo("echo", TestApps.scaling(0, 6, 1, 1)));
    Session s = acme.sessions().open("echo", OpenOptions.builder().openTimeout(Duration.ofSeconds(60)).build());
    assertEquals("node-a", s.getStatus().getNode());
    Echo.assertEchoes(s);
    await("a warm instance on node-a").atMost(Duration.ofSeconds(60))
        .until(() -> warm(acme, "node-a").size() == 1);

    cluster.startAgent("node-b");
    Setup.awaitReadyNodes(admin, 2);
    List<String> old = acme.instances().list().stream()
        .filter(i -> i.getNode().equals("node-a") && Invariants.LIVE.contains(i.getState()))
        .map(i -> i.getMeta().getName()).toList();
    assertEquals(2, old.size(), "node-a runs the session's instance and the warm one: " + old);
    old.forEach(i -> assertEquals(1, Echo.processes(i).size(), "processes of " + i));

    cluster.killAgent("node-a");
    Session lost = await("the session LOST").atMost(DOWN_AFTER.plusSeconds(15))
        .until(() -> acme.sessions().get(s.getMeta().getName()),
            x -> x.getStatus().getState() == SessionState.SESSION_LOST);
    assertFalse(lost.getStatus().getReason().isEmpty(), "LOST without a reason");
    assertEquals(NodeState.NODE_DOWN, admin.nodes().get("node-a").getStatus().getState());
    await("the warm pool rebuilt on node-b").atMost(Duration.ofSeconds(60))
        .until(() -> warm(acme, "node-b").size() == 1);

    cluster.restartAgent("node-a");
    await("no process of node-a's old instances").atMost(Duration.ofSeconds(30))
        .until(() -> old.stream().allMatch(i -> Echo.processes(i).isEmpty()));
    Setup.awaitReadyNodes(admin, 2);
    Echo.assertEchoes(acme.sessions().open("echo", OpenOptions.builder()
        .openTimeout(Duration.ofSeconds(60)).build()));
  }

  /** Warm instances of the node: READY with no session. */
  private static List<Instance> warm(FornaxClient acme, String node) {
    return acme.instances().list().stream().filter(i -> i.getNode().equals(node)
        && i.getState() == InstanceState.INSTANCE_READY && i.getSessionsCount() == 0).toList();
  }
}
