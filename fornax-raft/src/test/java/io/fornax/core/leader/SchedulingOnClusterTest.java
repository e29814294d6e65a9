package io.fornax.core.leader;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.CreateApplicationRequest;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.RegisterNodeRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.SessionPolicy;
import io.fornax.api.proto.SessionState;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.CoreNode;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.LoopbackCluster;
import io.fornax.core.server.Tokens;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader's scheduler on a real 3-replica group, driven through the real API. */
class SchedulingOnClusterTest {
  private static final String ADMIN = "admin.sched-test";
  @TempDir Path tmp;

  @Test
  void warmPoolSessionsAndFailoverWithoutDuplicates() throws Exception {
    List<CoreNode> nodes = new ArrayList<>();
    List<FornaxConnection> conns = new ArrayList<>();
    try {
      for (CoreConfig c : LoopbackCluster.configs(tmp, 3, Tokens.sha256Hex(ADMIN))) {
        c.scheduler.tick = Duration.ofMillis(100);
        nodes.add(CoreNode.start(c, c.adminTokenHash, AssignmentSink.NONE, Clock.systemUTC()));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream()
          .anyMatch(n -> n.replica().isLeader()));
      CoreNode follower = nodes.stream().filter(n -> !n.replica().isLeader()).findFirst().orElseThrow();
      FornaxConnection admin = connect(follower, ADMIN, conns);
      for (int i = 1; i <= 3; i++) {
        ok(admin, Request.newBuilder().setRegisterNode(RegisterNodeRequest.newBuilder().setNode(
            Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("node-" + i))
                .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setSimulated(true)
                    .setCapacity(Capacity.newBuilder().setCpuMillis(8000).setMemoryBytes(8L << 30)
                        .setMaxInstances(50))))));
      }
      String token = ok(admin, Request.newBuilder().setCreateTenant(CreateTenantRequest.newBuilder()
          .setTenant(io.fornax.api.proto.Tenant.newBuilder().setMeta(ObjectMeta.newBuilder()
              .setName("acme"))))).getTenantCreated().getToken();
      FornaxConnection acme = connect(follower, token, conns);
      ok(acme, Request.newBuilder().setCreateApplication(CreateApplicationRequest.newBuilder()
          .setApplication(Application.newBuilder().setMeta(ObjectMeta.newBuilder().setName("web"))
              .setSpec(ApplicationSpec.newBuilder()
                  .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/cat"))
                  .setScaling(ScalingPolicy.newBuilder().setMaxInstances(20).setIdleSessionsLow(2)
                      .setIdleSessionsHigh(2))
                  .setSession(SessionPolicy.newBuilder().setOpenTimeoutMs(120_000))))));

      await("warm pool of 2").atMost(Duration.ofSeconds(20)).until(() -> live(acme).size() == 2);

      for (int i = 0; i < 3; i++) {
        ok(acme, Request.newBuilder().setOpenSession(OpenSessionRequest.newBuilder()
            .setApplication("web")));
      }
      await("sessions bound, pool refilled").atMost(Duration.ofSeconds(20)).until(() ->
          boundCount(acme) == 3 && live(acme).size() == 5);

      CoreNode leader = nodes.stream().filter(n -> n.replica().isLeader()).findFirst().orElseThrow();
      Set<String> before = names(live(acme));
      leader.close();
      nodes.remove(leader);
      FornaxConnection survivor = connect(nodes.get(0), token, conns);
      await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream()
          .anyMatch(n -> n.replica().isLeader()));
      ok(survivor, Request.newBuilder().setOpenSession(OpenSessionRequest.newBuilder()
          .setApplication("web")));
      await("new leader binds and refills").atMost(Duration.ofSeconds(20)).until(() ->
          boundCount(survivor) == 4 && live(survivor).size() == 6);
      Set<String> after = names(live(survivor));
      assertTrue(after.containsAll(before), "the new leader kept every instance: " + before
          + " vs " + after);
      assertEquals(6, after.size(), "no duplicate instances");
    } finally {
      conns.forEach(FornaxConnection::close);
      for (CoreNode n : nodes) {
        n.close();
      }
    }
  }

  private static FornaxConnection connect(CoreNode node, String token, List<FornaxConnection> all) {
    FornaxConnection c = FornaxConnection.connect("127.0.0.1", node.apiPort(), token,
        Duration.ofSeconds(5));
    all.add(c);
    return c;
  }

  private static Response ok(FornaxConnection c, Request.Builder r) {
    Response resp = c.callSync(r.build(), Duration.ofSeconds(20));
    assertEquals(ErrorCode.OK, resp.getError().getCode(), resp.getError().getMessage());
    return resp;
  }

  private static List<Instance> live(FornaxConnection c) {
    return ok(c, Request.newBuilder().setList(ListRequest.newBuilder().setKind(Kind.INSTANCE)
        .setApplication("web"))).getList().getItemsList().stream()
        .map(r -> r.getInstance())
        .filter(i -> i.getState() != InstanceState.INSTANCE_TERMINATING
            && i.getState() != InstanceState.INSTANCE_TERMINATED)
        .toList();
  }

  private static long boundCount(FornaxConnection c) {
    return ok(c, Request.newBuilder().setList(ListRequest.newBuilder().setKind(Kind.SESSION)
        .setApplication("web"))).getList().getItemsList().stream()
        .filter(r -> r.getSession().getStatus().getState() == SessionState.SESSION_STARTING)
        .count();
  }

  private static Set<String> names(List<Instance> instances) {
    Set<String> s = new HashSet<>();
    instances.forEach(i -> s.add(i.getMeta().getName()));
    return s;
  }
}
