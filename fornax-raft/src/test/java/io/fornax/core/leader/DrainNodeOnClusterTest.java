package io.fornax.core.leader;

import static io.fornax.core.leader.SchedulingCluster.createApp;
import static io.fornax.core.leader.SchedulingCluster.createTenant;
import static io.fornax.core.leader.SchedulingCluster.live;
import static io.fornax.core.leader.SchedulingCluster.ok;
import static io.fornax.core.leader.SchedulingCluster.registerNode;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.DrainNodeRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.GetRequest;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.client.internal.FornaxConnection;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** drain_node through the real API on a real 3-replica group with its scheduler. */
class DrainNodeOnClusterTest {
  @TempDir Path tmp;

  @Test
  void drainStopsPlacementsUndrainResumesThemAndTheFlagSurvivesReRegistering() throws Exception {
    try (SchedulingCluster cluster = new SchedulingCluster(tmp, c -> {
      c.scheduler.nodeNotReadyAfter = Duration.ofMinutes(10); // no agents here: no heartbeats
      c.scheduler.nodeDownAfter = Duration.ofMinutes(20);
    })) {
      FornaxConnection admin = cluster.connect(cluster.follower(), SchedulingCluster.ADMIN);
      registerNode(admin, "node-1");
      String token = createTenant(admin, "acme");
      FornaxConnection acme = cluster.connect(cluster.follower(), token);

      Node drained = drainOk(admin, "node-1", true);
      assertTrue(drained.getSpec().getUnschedulable());
      assertEquals(NodeState.NODE_DRAINING, drained.getStatus().getState());

      registerNode(admin, "node-1"); // what an agent does on every (re)connect
      Node after = ok(admin, Request.newBuilder().setGet(GetRequest.newBuilder()
          .setKind(Kind.NODE).setName("node-1"))).getResource().getNode();
      assertTrue(after.getSpec().getUnschedulable(), "re-registering keeps the drain");
      assertEquals(NodeState.NODE_DRAINING, after.getStatus().getState());

      createApp(acme, "web", 2);
      Thread.sleep(1_500); // many scheduler ticks (100 ms): nothing may be placed meanwhile
      assertEquals(0, live(acme, "web").size(), "no instance on the drained node");

      Node undrained = drainOk(admin, "node-1", false);
      assertEquals(NodeState.NODE_READY, undrained.getStatus().getState());
      await("placements resume").atMost(Duration.ofSeconds(20))
          .until(() -> live(acme, "web").size() == 2);
      assertTrue(live(acme, "web").stream().allMatch(i -> i.getNode().equals("node-1")));
    }
  }

  @Test
  void tenantTokenIsRefusedAndUnknownNodeIsNotFound() throws Exception {
    try (SchedulingCluster cluster = new SchedulingCluster(tmp, c -> { })) {
      FornaxConnection admin = cluster.connect(cluster.leader(), SchedulingCluster.ADMIN);
      registerNode(admin, "node-1");
      FornaxConnection acme = cluster.connect(cluster.leader(), createTenant(admin, "acme"));

      Response refused = drain(acme, "node-1", true);
      assertEquals(ErrorCode.PERMISSION_DENIED, refused.getError().getCode());

      Response unknown = drain(admin, "ghost", true);
      assertEquals(ErrorCode.NOT_FOUND, unknown.getError().getCode());
      assertTrue(unknown.getError().getMessage().contains("node \"ghost\" not found"),
          unknown.getError().getMessage());
    }
  }

  private static Node drainOk(FornaxConnection admin, String node, boolean drain) {
    return ok(admin, Request.newBuilder().setDrainNode(DrainNodeRequest.newBuilder()
        .setName(node).setDrain(drain))).getResource().getNode();
  }

  private static Response drain(FornaxConnection c, String node, boolean drain) {
    return c.callSync(Request.newBuilder().setDrainNode(DrainNodeRequest.newBuilder()
        .setName(node).setDrain(drain)).build(), Duration.ofSeconds(20));
  }
}
