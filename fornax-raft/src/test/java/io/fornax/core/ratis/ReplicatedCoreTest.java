package io.fornax.core.ratis;

import static io.fornax.core.command.TestCommands.createApp;
import static io.fornax.core.command.TestCommands.createTenant;
import static io.fornax.core.command.TestCommands.tenant;
import static io.fornax.core.ratis.InProcessCluster.write;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import io.fornax.core.state.StateDigest;
import io.fornax.core.state.Table;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real Ratis replicas with RocksDB state machines, in one JVM, on 127.0.0.1. */
class ReplicatedCoreTest {
  @TempDir Path tmp;

  private static long now() {
    return System.currentTimeMillis();
  }

  @Test
  void writeThroughAFollowerIsReadLinearizablyFromAnother() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(tmp, 3, 10_000).startAll()) {
      RaftReplica leader = cluster.awaitLeader();
      List<RaftReplica> followers = cluster.replicas().stream().filter(r -> r != leader).toList();
      CommandResult r = write(followers.get(0), createTenant("acme", now()));
      assertEquals(ErrorCode.OK, r.getError().getCode());
      RaftReplica other = followers.get(1);
      other.readBarrier().join();
      assertNotNull(other.state().get(Table.TENANTS, "acme"),
          "a linearizable read after an acknowledged write sees it");
    }
  }

  @Test
  void newLeaderKeepsEveryAcknowledgedWrite() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(tmp, 3, 10_000).startAll()) {
      RaftReplica leader = cluster.awaitLeader();
      write(leader, createTenant("acme", now()));
      List<CompletableFuture<CommandResult>> acks = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        acks.add(leader.submit(createApp(tenant("acme"), "acme", "app-" + i, now())));
      }
      acks.forEach(CompletableFuture::join);
      cluster.stop(leader.id());
      RaftReplica newLeader = cluster.awaitLeader();
      assertNotSame(leader, newLeader);
      newLeader.readBarrier().join();
      assertEquals(50, newLeader.state().list(Table.APPLICATIONS, "acme/").size());
      assertEquals(ErrorCode.OK,
          write(newLeader, createApp(tenant("acme"), "acme", "after", now())).getError().getCode());
    }
  }

  @Test
  void replicaBehindAPurgedLogCatchesUpByInstallingASnapshot() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(tmp, 3, 100).startAll()) {
      RaftReplica leader = cluster.awaitLeader();
      write(leader, createTenant("acme", now()));
      RaftReplica lagging = cluster.aFollower();
      String laggingId = lagging.id();
      cluster.stop(laggingId);
      for (int i = 0; i < 300; i++) {
        write(leader, createApp(tenant("acme"), "acme", "app-" + i, now()));
      }
      leader.takeSnapshot();
      await().atMost(Duration.ofSeconds(20)).until(() -> leader.firstLogIndex() > 10);
      RaftReplica back = cluster.start(laggingId);
      await().atMost(Duration.ofSeconds(60)).until(
          () -> back.state().list(Table.APPLICATIONS, "acme/").size() == 300);
      back.readBarrier().join();
      leader.readBarrier().join();
      assertEquals(StateDigest.of(leader.state()), StateDigest.of(back.state()));
      assertTrue(Path.of(tmp.toString(), laggingId, "raft").toFile().exists());
    }
  }

  @Test
  void restartingEveryReplicaLosesNothing() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(tmp, 3, 25).startAll()) {
      RaftReplica leader = cluster.awaitLeader();
      write(leader, createTenant("acme", now()));
      for (int i = 0; i < 60; i++) {
        write(leader, createApp(tenant("acme"), "acme", "app-" + i, now()));
      }
      leader.readBarrier().join();
      String digest = StateDigest.of(leader.state());

      cluster.stopAll();
      cluster.startAll();

      RaftReplica again = cluster.awaitLeader();
      again.readBarrier().join();
      assertNotNull(again.state().<Application>get(Table.APPLICATIONS, "acme/app-59"));
      for (RaftReplica r : cluster.replicas()) {
        r.readBarrier().join();
        assertEquals(digest, StateDigest.of(r.state()), r.id());
      }
    }
  }

  @Test
  void aReplicaRestartedBeforeAnySnapshotReplaysItsLogAndKeepsUp() throws Exception {
    // No snapshot yet: Ratis replays its log from the start while RocksDB is already further.
    try (InProcessCluster cluster = new InProcessCluster(tmp, 3, 10_000).startAll()) {
      RaftReplica leader = cluster.awaitLeader();
      write(leader, createTenant("acme", now()));
      for (int i = 0; i < 40; i++) {
        write(leader, createApp(tenant("acme"), "acme", "app-" + i, now()));
      }
      String restartedId = cluster.aFollower().id();
      await().atMost(Duration.ofSeconds(20)).until(() -> cluster.get(restartedId).state()
          .list(Table.APPLICATIONS, "acme/").size() == 40);
      cluster.stop(restartedId);
      for (int i = 40; i < 50; i++) {
        write(leader, createApp(tenant("acme"), "acme", "app-" + i, now()));
      }
      RaftReplica back = cluster.start(restartedId);
      write(leader, createApp(tenant("acme"), "acme", "after-restart", now()));
      await().atMost(Duration.ofSeconds(30)).until(() -> back.state()
          .<Application>get(Table.APPLICATIONS, "acme/after-restart") != null);
      back.readBarrier().join();
      leader.readBarrier().join();
      assertEquals(StateDigest.of(leader.state()), StateDigest.of(back.state()));
    }
  }
}
