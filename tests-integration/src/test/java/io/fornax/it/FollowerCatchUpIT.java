package io.fornax.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Application;
import io.fornax.client.FornaxClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 3: a follower is down while the others write on until their logs no longer hold its
 * next entry; restarted, it can only catch up by installing a snapshot, and then serves
 * linearizable reads with the same data.
 */
class FollowerCatchUpIT {
  @RegisterExtension final ClusterExtension clusters = new ClusterExtension();

  @ParameterizedTest(name = "run {0}")
  @MethodSource("io.fornax.it.Repeat#runs")
  void restartedFollowerInstallsASnapshot(int run) {
    FornaxCluster cluster = clusters.start(ClusterOptions.defaults().snapshots(40, 16 * 1024));
    FornaxClient admin = cluster.client();
    admin.tenants().create("acme");
    FornaxClient acme = admin.withTenant("acme");
    String follower = cluster.follower();
    acme.applications().create(TestApps.simulated("before", TestApps.scaling(0, 1, 0, 0)));
    String leader = cluster.leader();
    // Applied, not commit: Ratis's own entries (e.g. commit-index metadata) never reach the state.
    long target = cluster.status(leader).getAppliedIndex();
    await(follower + " applied the first writes").atMost(Duration.ofSeconds(10))
        .until(() -> cluster.status(follower).getAppliedIndex() >= target);
    long behind = cluster.status(follower).getAppliedIndex();
    cluster.kill(follower);

    List<String> others = cluster.replicas().stream().filter(id -> !id.equals(follower)).toList();
    int written = 0;
    // Bounded: 40-entry snapshots and 16 KiB segments purge well within this many writes.
    while (!others.stream().allMatch(id -> firstLogIndex(cluster.dataDir(id)) > behind + 1)) {
      assertTrue(written < 3_000, "the logs of " + others + " were not purged past " + behind
          + " after " + written + " writes");
      for (int i = 0; i < 20; i++, written++) {
        acme.applications().create(TestApps.simulated("app-" + written, TestApps.scaling(0, 1, 0, 0)));
      }
    }

    long mark = cluster.logMark(follower);
    cluster.start(follower);
    long applied = cluster.status(cluster.leader()).getAppliedIndex();
    await(follower + " caught up").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> cluster.status(follower).getAppliedIndex() >= applied);
    assertTrue(cluster.logSince(follower, mark).contains("restored state from snapshot"),
        follower + " did not log a snapshot install");
    try (FornaxClient onlyFollower = cluster.clientOf(follower);
        FornaxClient onlyLeader = cluster.clientOf(cluster.leader())) {
      List<Application> fromFollower = onlyFollower.withTenant("acme").applications().list();
      assertEquals(onlyLeader.withTenant("acme").applications().list(), fromFollower);
      assertEquals(written + 1, fromFollower.size());
      assertEquals(onlyLeader.tenants().list(), onlyFollower.tenants().list());
    }
  }

  /** The first index still in a replica's Raft log (segment files are named by index). */
  private static long firstLogIndex(Path replicaDir) {
    try (Stream<Path> files = Files.walk(replicaDir.resolve("raft"))) {
      return files.map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("log_"))
          .mapToLong(n -> Long.parseLong(n.replace("log_inprogress_", "").replace("log_", "")
              .split("-")[0]))
          .min().orElse(0);
    } catch (IOException | UncheckedIOException e) {
      return 0; // a segment was purged while we listed: look again after the next writes
    }
  }
}
