package io.fornax.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.client.FornaxClient;
import io.fornax.client.OpenOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 4: every replica stops and starts again under a real agent running the echo app:
 * applications, sessions and instances are all back, the agent reconnects and reconciles, the
 * sessions still echo, and the node runs exactly the instances the core knows.
 */
class FullRestartIT {
  @RegisterExtension final ClusterExtension clusters = new ClusterExtension();

  @ParameterizedTest(name = "run {0}")
  @MethodSource("io.fornax.it.Repeat#runs")
  void everythingIsBackAfterAFullRestart(int run) {
    FornaxCluster cluster = clusters.start(ClusterOptions.defaults().agent("node-1"));
    FornaxClient acme = Setup.tenantWithNodes(cluster, "acme", 1);
    acme.applications().create(TestApps.echo("echo", TestApps.scaling(1, 4, 1, 1)));
    OpenOptions open = OpenOptions.builder().openTimeout(Duration.ofSeconds(60)).build();
    Session s1 = acme.sessions().open("echo", open);
    Session s2 = acme.sessions().open("echo", open);
    Echo.assertEchoes(s1);
    Echo.assertEchoes(s2);
    // Two allocated instances and one warm: wait until nothing is on its way.
    Map<String, String> before = await("a settled state").atMost(Duration.ofSeconds(60))
        .until(() -> view(acme), v -> v.values().stream().filter(s -> s.startsWith("instance"))
            .count() == 3 && v.values().stream().noneMatch(s -> s.contains("PENDING")
            || s.contains("CREATING")));
    String apps = acme.applications().list().toString();

    long agentMark = cluster.logMark("node-1");
    cluster.replicas().forEach(cluster::stop);
    cluster.replicas().forEach(cluster::start);
    cluster.leader();

    await("agent reconnected").atMost(Duration.ofSeconds(30))
        .until(() -> cluster.logSince("node-1", agentMark).contains("connected to the leader"));
    await("node READY again").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
        cluster.client().nodes().get("node-1").getStatus().getState() == NodeState.NODE_READY);
    assertEquals(before, view(acme), "sessions and instances after the restart");
    assertEquals(apps, acme.applications().list().toString(), "applications after the restart");
    Echo.assertEchoes(acme.sessions().get(s1.getMeta().getName()));
    Echo.assertEchoes(acme.sessions().get(s2.getMeta().getName()));

    List<Instance> live = acme.instances().list().stream()
        .filter(i -> Invariants.LIVE.contains(i.getState())).toList();
    for (Instance i : live) {
      assertEquals(1, Echo.processes(i).size(), "processes of " + i.getMeta().getName());
    }
    assertEquals(live.size(), Echo.allProcesses().size(), "echo processes on the node");

    Session closed = acme.sessions().close(s1.getMeta().getName());
    assertEquals(SessionState.SESSION_CLOSED, closed.getStatus().getState());
  }

  /** Sessions and live instances by name, with what must survive a restart. */
  private static Map<String, String> view(FornaxClient acme) {
    Map<String, String> v = new TreeMap<>();
    for (Session s : acme.sessions().list()) {
      v.put(s.getMeta().getName(), "session " + s.getStatus().getState() + " on "
          + s.getStatus().getInstance() + " at " + s.getStatus().getEndpointsList());
    }
    for (Instance i : acme.instances().list()) {
      if (i.getState() != InstanceState.INSTANCE_TERMINATED && i.getState() != InstanceState.INSTANCE_FAILED) {
        v.put(i.getMeta().getName(), "instance " + i.getState() + " on " + i.getNode() + " with "
            + i.getSessionsList());
      }
    }
    return v;
  }
}
