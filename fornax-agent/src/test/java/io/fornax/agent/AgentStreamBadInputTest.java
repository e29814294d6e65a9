package io.fornax.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.AgentReportRequest;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.SessionReport;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.Tenant;
import io.fornax.client.internal.FornaxConnection;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent stream refuses what it must and changes nothing for bogus reports. */
class AgentStreamBadInputTest {
  @TempDir Path tmp;

  @Test
  void tenantsCannotActAsAgentsAndBogusReportsChangeNothing() throws Exception {
    try (TestCores cores = new TestCores(tmp)) {
      FornaxConnection admin = cores.connect(TestCores.ADMIN);
      String token = TestCores.ok(admin, Request.newBuilder().setCreateTenant(CreateTenantRequest
          .newBuilder().setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName("t")))))
          .getTenantCreated().getToken();
      FornaxConnection tenant = cores.connect(token);
      Node node = Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("evil"))
          .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setSimulated(true)
              .setCapacity(Capacity.newBuilder().setCpuMillis(1).setMemoryBytes(1).setMaxInstances(1)))
          .build();
      Response connect = tenant.callSync(Request.newBuilder().setAgentConnect(AgentConnectRequest
          .newBuilder().setNode(node)).build(), Duration.ofSeconds(10));
      assertEquals(ErrorCode.PERMISSION_DENIED, connect.getError().getCode());
      Response invalid = admin.callSync(Request.newBuilder().setAgentConnect(AgentConnectRequest
          .newBuilder().setNode(node.toBuilder().setMeta(ObjectMeta.newBuilder().setName("Bad Name"))))
          .build(), Duration.ofSeconds(10));
      assertEquals(ErrorCode.INVALID_ARGUMENT, invalid.getError().getCode());

      Response bogus = leaderCall(cores, Request.newBuilder().setAgentReport(AgentReportRequest.newBuilder()
          .setNode("nobody")
          .addInstances(InstanceReport.newBuilder().setTenant("t").setName("i-none")
              .setState(InstanceState.INSTANCE_FAILED))
          .addSessions(SessionReport.newBuilder().setTenant("t").setName("s-none")
              .setState(SessionState.SESSION_LOST))));
      assertEquals(ErrorCode.OK, bogus.getError().getCode(), "accepted, but every action skipped");
      assertEquals(0, TestCores.ok(admin, Request.newBuilder().setList(ListRequest.newBuilder()
          .setKind(Kind.NODE))).getList().getItemsCount(), "no node appeared");
      assertEquals(0, TestCores.ok(admin, Request.newBuilder().setList(ListRequest.newBuilder()
          .setKind(Kind.INSTANCE))).getList().getItemsCount(), "no instance appeared");
    }
  }

  /** Agent reports go to the leader. */
  private static Response leaderCall(TestCores cores, Request.Builder r) {
    var leader = cores.nodes.stream().filter(n -> n.replica().isLeader()).findFirst().orElseThrow();
    try (FornaxConnection c = FornaxConnection.connect("127.0.0.1", leader.apiPort(), TestCores.ADMIN,
        Duration.ofSeconds(5))) {
      return c.callSync(r.build(), Duration.ofSeconds(10));
    }
  }
}
