package io.fornax.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.CloseSessionRequest;
import io.fornax.api.proto.CreateApplicationRequest;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.Endpoint;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.Tenant;
import io.fornax.client.internal.FornaxConnection;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm open through a real agent: the leader offers the session to the agent of the idle echo
 * instance, the agent opens it (the instance's session protocol and an ingress port) before
 * anything is committed, and the open's own answer is AVAILABLE with an endpoint that works.
 * The close likewise: the agent closes it first, and the close's answer is CLOSED.
 */
class WarmOpenThroughAgentTest {
  @TempDir Path tmp;

  @Test
  void theOpensAnswerIsAvailableWithAWorkingEndpointAndTheClosesIsClosed() throws Exception {
    FornaxAgent agent = null;
    try (TestCores cores = new TestCores(tmp)) {
      agent = cores.startAgent(tmp.resolve("agent"), "node-1", 21);

      FornaxConnection admin = cores.connectLeader(TestCores.ADMIN);
      String token = TestCores.ok(admin, Request.newBuilder().setCreateTenant(
          CreateTenantRequest.newBuilder().setTenant(Tenant.newBuilder().setMeta(
              ObjectMeta.newBuilder().setName("acme"))))).getTenantCreated().getToken();
      FornaxConnection acme = cores.connectLeader(token);
      TestCores.ok(acme, Request.newBuilder().setCreateApplication(CreateApplicationRequest
          .newBuilder().setApplication(Application.newBuilder()
              .setMeta(ObjectMeta.newBuilder().setName("echo"))
              .setSpec(ApplicationSpec.newBuilder().setRuntime(TestCores.echoRuntime())
                  .addPorts(PortSpec.newBuilder().setName("main").setPort(7000))
                  .setScaling(ScalingPolicy.newBuilder().setMaxInstances(3)
                      .setIdleSessionsLow(1).setIdleSessionsHigh(1))))));
      await("an idle echo instance").atMost(Duration.ofSeconds(60)).until(() ->
          TestCores.ok(acme, Request.newBuilder().setList(ListRequest.newBuilder()
              .setKind(Kind.INSTANCE))).getList().getItemsList().stream()
              .anyMatch(r -> r.getInstance().getState() == InstanceState.INSTANCE_READY));

      Session s = TestCores.ok(acme, Request.newBuilder().setOpenSession(
          OpenSessionRequest.newBuilder().setApplication("echo"))).getResource().getSession();
      assertEquals(SessionState.SESSION_AVAILABLE, s.getStatus().getState(), s.toString());
      assertEquals(s.getMeta().getCreateRevision(), s.getMeta().getRevision(), "one commit");
      Endpoint ep = s.getStatus().getEndpoints(0);
      try (Socket c = new Socket(ep.getHost(), ep.getPort())) {
        c.getOutputStream().write("warm".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("warm".getBytes(StandardCharsets.UTF_8), c.getInputStream().readNBytes(4));
      }

      Session closed = TestCores.ok(acme, Request.newBuilder().setCloseSession(
          CloseSessionRequest.newBuilder().setName(s.getMeta().getName()))).getResource()
          .getSession();
      assertEquals(SessionState.SESSION_CLOSED, closed.getStatus().getState(), closed.toString());
      assertThrows(ConnectException.class, () -> new Socket(ep.getHost(), ep.getPort()).close(),
          "the agent closed the ingress port before the close was committed");
    } finally {
      if (agent != null) {
        agent.close();
      }
    }
  }
}
