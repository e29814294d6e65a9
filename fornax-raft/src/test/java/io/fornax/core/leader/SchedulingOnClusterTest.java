package io.fornax.core.leader;

import static io.fornax.core.leader.SchedulingCluster.createApp;
import static io.fornax.core.leader.SchedulingCluster.createTenant;
import static io.fornax.core.leader.SchedulingCluster.live;
import static io.fornax.core.leader.SchedulingCluster.ok;
import static io.fornax.core.leader.SchedulingCluster.registerNode;
import static io.fornax.core.leader.SchedulingCluster.sessions;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Instance;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.SessionState;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.CoreNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader's scheduler on a real 3-replica group, driven through the real API. */
class SchedulingOnClusterTest {
  @TempDir Path tmp;

  @Test
  void warmPoolSessionsAndFailoverWithoutDuplicates() throws Exception {
    try (SchedulingCluster cluster = new SchedulingCluster(tmp, c -> {
      c.scheduler.nodeNotReadyAfter = Duration.ofMinutes(10); // no agents here: no heartbeats
      c.scheduler.nodeDownAfter = Duration.ofMinutes(20);
    })) {
      CoreNode follower = cluster.follower();
      FornaxConnection admin = cluster.connect(follower, SchedulingCluster.ADMIN);
      for (int i = 1; i <= 3; i++) {
        registerNode(admin, "node-" + i);
      }
      String token = createTenant(admin, "acme");
      FornaxConnection acme = cluster.connect(follower, token);
      createApp(acme, "web", 2);
      await("warm pool of 2").atMost(Duration.ofSeconds(20)).until(() -> live(acme, "web").size() == 2);

      for (int i = 0; i < 3; i++) {
        open(acme);
      }
      await("sessions bound, pool refilled").atMost(Duration.ofSeconds(20)).until(() ->
          bound(acme) == 3 && live(acme, "web").size() == 5);

      CoreNode leader = cluster.leader();
      Set<String> before = names(live(acme, "web"));
      leader.close();
      cluster.nodes.remove(leader);
      FornaxConnection survivor = cluster.connect(cluster.nodes.get(0), token);
      cluster.leader();
      open(survivor);
      await("new leader binds and refills").atMost(Duration.ofSeconds(20)).until(() ->
          bound(survivor) == 4 && live(survivor, "web").size() == 6);
      Set<String> after = names(live(survivor, "web"));
      assertTrue(after.containsAll(before), "the new leader kept every instance: " + before
          + " vs " + after);
      assertEquals(6, after.size(), "no duplicate instances");
    }
  }

  static void open(FornaxConnection c) {
    ok(c, Request.newBuilder().setOpenSession(OpenSessionRequest.newBuilder().setApplication("web")));
  }

  static long bound(FornaxConnection c) {
    return sessions(c, "web").stream()
        .filter(s -> s.getStatus().getState() == SessionState.SESSION_STARTING).count();
  }

  static Set<String> names(List<Instance> instances) {
    return instances.stream().map(i -> i.getMeta().getName()).collect(Collectors.toSet());
  }
}
