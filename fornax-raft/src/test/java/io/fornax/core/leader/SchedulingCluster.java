package io.fornax.core.leader;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import io.fornax.api.proto.RegisterNodeRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionPolicy;
import io.fornax.api.proto.Tenant;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.CoreNode;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.LoopbackCluster;
import io.fornax.core.server.Tokens;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Three real core replicas (scheduler included) and API helpers for scheduling tests. */
final class SchedulingCluster implements AutoCloseable {
  static final String ADMIN = "admin.sched-test";

  final List<CoreNode> nodes = new ArrayList<>();
  private final List<FornaxConnection> conns = new ArrayList<>();

  SchedulingCluster(Path root, Consumer<CoreConfig> tune) throws Exception {
    for (CoreConfig c : LoopbackCluster.configs(root, 3, Tokens.sha256Hex(ADMIN))) {
      c.scheduler.tick = Duration.ofMillis(100);
      tune.accept(c);
      nodes.add(CoreNode.start(c, c.adminTokenHash, Clock.systemUTC()));
    }
    leader();
  }

  CoreNode leader() {
    return await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream()
        .filter(n -> n.replica().isLeader()).findFirst(), java.util.Optional::isPresent).get();
  }

  CoreNode follower() {
    CoreNode l = leader();
    return nodes.stream().filter(n -> n != l).findFirst().orElseThrow();
  }

  FornaxConnection connect(CoreNode node, String token) {
    FornaxConnection c = FornaxConnection.connect("127.0.0.1", node.apiPort(), token,
        Duration.ofSeconds(5));
    conns.add(c);
    return c;
  }

  static Response ok(FornaxConnection c, Request.Builder r) {
    Response resp = c.callSync(r.build(), Duration.ofSeconds(20));
    assertEquals(ErrorCode.OK, resp.getError().getCode(), resp.getError().getMessage());
    return resp;
  }

  static void registerNode(FornaxConnection admin, String name) {
    ok(admin, Request.newBuilder().setRegisterNode(RegisterNodeRequest.newBuilder().setNode(
        Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name))
            .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setSimulated(true)
                .setCapacity(Capacity.newBuilder().setCpuMillis(8000).setMemoryBytes(8L << 30)
                    .setMaxInstances(50))))));
  }

  static String createTenant(FornaxConnection admin, String name) {
    return ok(admin, Request.newBuilder().setCreateTenant(CreateTenantRequest.newBuilder()
        .setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name)))))
        .getTenantCreated().getToken();
  }

  static void createApp(FornaxConnection c, String name, int idle) {
    ok(c, Request.newBuilder().setCreateApplication(CreateApplicationRequest.newBuilder()
        .setApplication(Application.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name))
            .setSpec(ApplicationSpec.newBuilder()
                .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/cat"))
                .setScaling(ScalingPolicy.newBuilder().setMaxInstances(20).setIdleSessionsLow(idle)
                    .setIdleSessionsHigh(idle))
                .setSession(SessionPolicy.newBuilder().setOpenTimeoutMs(120_000))))));
  }

  /** Live (not terminating or finished) instances of an application. */
  static List<Instance> live(FornaxConnection c, String app) {
    return ok(c, Request.newBuilder().setList(ListRequest.newBuilder().setKind(Kind.INSTANCE)
        .setApplication(app))).getList().getItemsList().stream()
        .map(r -> r.getInstance())
        .filter(i -> i.getState() != InstanceState.INSTANCE_TERMINATING
            && i.getState() != InstanceState.INSTANCE_TERMINATED
            && i.getState() != InstanceState.INSTANCE_FAILED)
        .toList();
  }

  static List<Session> sessions(FornaxConnection c, String app) {
    return ok(c, Request.newBuilder().setList(ListRequest.newBuilder().setKind(Kind.SESSION)
        .setApplication(app))).getList().getItemsList().stream().map(r -> r.getSession()).toList();
  }

  @Override
  public void close() throws Exception {
    conns.forEach(FornaxConnection::close);
    for (CoreNode n : nodes) {
      n.close();
    }
  }
}
