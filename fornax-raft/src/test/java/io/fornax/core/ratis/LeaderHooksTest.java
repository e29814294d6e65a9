package io.fornax.core.ratis;

import static io.fornax.core.command.TestCommands.createTenant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.ErrorCode;
import io.fornax.core.state.Table;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler's hooks: started on the ready leader only, and its old-term commands fenced. */
class LeaderHooksTest {
  @TempDir Path tmp;

  @Test
  void onlyTheLeaderIsToldAndANewLeaderFencesTheOldTerm() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(tmp, 3, 10_000).startAll()) {
      RaftReplica leader = cluster.awaitLeader();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> cluster.listener(leader.id()).leadingTerm() > 0);
      long oldTerm = cluster.listener(leader.id()).leadingTerm();
      for (RaftReplica r : cluster.replicas()) {
        if (r != leader) {
          assertEquals(0, cluster.listener(r.id()).leadingTerm(), r.id() + " is not leading");
        }
      }
      assertEquals(ErrorCode.OK, leader.submit(createTenant("in-term", 1).toBuilder()
          .setFenceTerm(oldTerm).build()).join().getError().getCode());

      cluster.stop(leader.id());
      RaftReplica next = cluster.awaitLeader();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> cluster.listener(next.id()).leadingTerm() > oldTerm);

      var stale = next.submit(createTenant("stale", 1).toBuilder().setFenceTerm(oldTerm).build())
          .join();
      assertEquals(ErrorCode.FENCED, stale.getError().getCode());
      next.readBarrier().join();
      assertNull(next.state().get(Table.TENANTS, "stale"), "a fenced command changes nothing");
      assertTrue(next.state().get(Table.TENANTS, "in-term") != null);

      // startTransaction refuses what must never reach the log.
      long applied = next.state().appliedIndex();
      var refused = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
          () -> next.submit(io.fornax.api.proto.Command.newBuilder().setNowMs(1)
              .setCaller(io.fornax.core.command.TestCommands.ADMIN).build()).join());
      assertEquals(ErrorCode.INVALID_ARGUMENT,
          ((io.fornax.api.FornaxException) refused.getCause()).code());
      assertTrue(refused.getCause().getMessage().contains("command has no body"),
          refused.getCause().getMessage());
      next.readBarrier().join();
      assertEquals(applied, next.state().appliedIndex(), "nothing was applied");
    }
  }
}
