package io.fornax.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.api.proto.Session;
import io.fornax.client.FornaxClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 2: the leader freezes (SIGSTOP) past the election timeout while the scheduler is busy,
 * a new leader takes over, the old one thaws: it steps down to the new term and nothing it
 * planned in its old term shows in the state.
 */
class LeaderPauseIT {
  private static final int MAX_INSTANCES = 8;
  @RegisterExtension final ClusterExtension clusters = new ClusterExtension();

  @ParameterizedTest(name = "run {0}")
  @MethodSource("io.fornax.it.Repeat#runs")
  void pausedLeaderStepsDownAndItsTermIsFenced(int run) {
    FornaxCluster cluster = clusters.start(ClusterOptions.defaults().simulatedNodes("sim", 3));
    FornaxClient acme = Setup.tenantWithNodes(cluster, "acme", 3);
    acme.applications().create(TestApps.simulated("app", TestApps.scaling(0, MAX_INSTANCES, 2, 3)));

    String old = cluster.leader();
    String now;
    SessionLoad load = new SessionLoad(acme, "app", 2, "run" + run, 1).start();
    try {
      await("opens before the pause").atMost(Duration.ofSeconds(60)).until(() -> load.opens() >= 10);
      assertEquals(old, cluster.leader(), "the leader changed before the pause");
      long oldTerm = cluster.status(old).getTerm();
      cluster.pause(old);
      now = cluster.leader();
      assertNotEquals(old, now);
      long newTerm = cluster.status(now).getTerm();
      assertTrue(newTerm > oldTerm, "new term " + newTerm + " after " + oldTerm);
      int atPause = load.opens();
      await("opens succeed under " + now).atMost(Duration.ofSeconds(60))
          .until(() -> load.opens() >= atPause + 10);
      cluster.resume(old);
      ClusterStatus thawed = await(old + " steps down").atMost(Duration.ofSeconds(30))
          .ignoreExceptions().until(() -> cluster.status(old),
              s -> s.getRole().equals("FOLLOWER") && s.getLeader().equals(now));
      assertTrue(thawed.getTerm() >= newTerm, "old leader's term " + thawed.getTerm());
    } finally {
      load.close();
    }

    assertEquals(Map.of(), load.failed, "calls that failed");
    List<Session> sessions = acme.sessions().list();
    Invariants.sessionsMatchWhatClientsSaw(sessions, load);
    Invariants.instancesConsistent(acme.instances().list(), sessions, Map.of("app", MAX_INSTANCES));
    // The thawed replica serves the same sessions as the leader (linearizable reads on each).
    try (FornaxClient fromOld = cluster.clientOf(old); FornaxClient fromNew = cluster.clientOf(now)) {
      assertEquals(Invariants.names(fromNew.withTenant("acme").sessions().list()),
          Invariants.names(fromOld.withTenant("acme").sessions().list()));
    }
  }
}
