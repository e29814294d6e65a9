package io.fornax.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.client.FornaxClient;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Scenario 1: kill -9 the leader while clients open and close sessions continuously. */
class LeaderKillIT {
  @RegisterExtension final ClusterExtension clusters = new ClusterExtension();

  @ParameterizedTest(name = "run {0}")
  @MethodSource("io.fornax.it.Repeat#runs")
  void sessionsSurviveTheLeaderBeingKilled(int run) {
    FornaxCluster cluster = clusters.start(ClusterOptions.defaults().simulatedNodes("sim", 3));
    FornaxClient acme = Setup.tenantWithNodes(cluster, "acme", 3);
    acme.applications().create(TestApps.simulated("app", TestApps.scaling(0, 200, 2, 4)));

    SessionLoad load = new SessionLoad(acme, "app", 3, "run" + run, 2).start();
    String old;
    try {
      await("opens before the kill").atMost(Duration.ofSeconds(60)).until(() -> load.opens() >= 15);
      old = cluster.leader();
      cluster.kill(old);
      int atKill = load.opens();
      String now = cluster.leader();
      assertNotEquals(old, now);
      await("opens succeed under the new leader " + now).atMost(Duration.ofSeconds(60))
          .until(() -> load.opens() >= atKill + 15);
    } finally {
      load.close();
    }

    assertEquals(java.util.Map.of(), load.failed, "calls that failed");
    Invariants.sessionsMatchWhatClientsSaw(acme.sessions().list(), load);
    Session fresh = acme.sessions().open("app");
    assertEquals(SessionState.SESSION_AVAILABLE, fresh.getStatus().getState());

    // The killed replica comes back before any snapshot was taken: it replays its log over a
    // RocksDB state that is already further, catches up, and serves the same data.
    cluster.start(old);
    try (FornaxClient onlyOld = cluster.clientOf(old)) {
      await("the restarted replica serves").atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> cluster.status(old).getAppliedIndex()
              >= cluster.status(cluster.leader()).getCommitIndex() - 50);
      assertEquals(fresh.getMeta().getName(), onlyOld.withTenant("acme").sessions()
          .get(fresh.getMeta().getName()).getMeta().getName(), "linearizable read on " + old);
    }
  }
}
