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
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.GetRequest;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.Tenant;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.CoreNode;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.server.Tokens;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on real parts: three core replicas, one agent running the echo app as a real
 * process; a session opened through the API reaches it through the ingress port.
 */
class AgentEndToEndTest {
  private static final String ADMIN = "admin.e2e-token";
  @TempDir Path tmp;

  @Test
  void sessionReachesTheEchoAppThroughTheIngressAndScalesToZero() throws Exception {
    FornaxAgent agent = null;
    try (TestCores cores = new TestCores(tmp)) {
      agent = cores.startAgent(tmp.resolve("agent"), "node-1", 51);

      FornaxConnection admin = cores.connect(TestCores.ADMIN);
      await("node registered and ready").atMost(Duration.ofSeconds(30)).until(() -> {
        Response r = admin.callSync(Request.newBuilder().setGet(GetRequest.newBuilder().setKind(Kind.NODE)
            .setName("node-1")).build(), Duration.ofSeconds(10));
        return r.hasResource() && r.getResource().getNode().getStatus().getState() == NodeState.NODE_READY;
      });
      String token = ok(admin, Request.newBuilder().setCreateTenant(CreateTenantRequest.newBuilder()
          .setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName("acme")))))
          .getTenantCreated().getToken();
      FornaxConnection acme = cores.connect(token);
      ok(acme, Request.newBuilder().setCreateApplication(CreateApplicationRequest.newBuilder()
          .setApplication(Application.newBuilder().setMeta(ObjectMeta.newBuilder().setName("echo"))
              .setSpec(ApplicationSpec.newBuilder()
                  .setRuntime(TestCores.echoRuntime())
                  .addPorts(PortSpec.newBuilder().setName("main").setPort(7000))
                  .setScaling(ScalingPolicy.newBuilder().setMinInstances(0).setMaxInstances(3))))));

      String name = ok(acme, Request.newBuilder().setOpenSession(OpenSessionRequest.newBuilder()
          .setApplication("echo").setOpenTimeoutMs(60_000))).getResource().getSession().getMeta().getName();
      FornaxConnection c = acme;
      Session available = await("session available").atMost(Duration.ofSeconds(60)).until(
          () -> session(c, name), s -> s.getStatus().getState() == SessionState.SESSION_AVAILABLE);
      Endpoint ep = available.getStatus().getEndpoints(0);
      try (Socket s = new Socket(ep.getHost(), ep.getPort())) {
        s.getOutputStream().write("hello fornax".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("hello fornax".getBytes(StandardCharsets.UTF_8),
            s.getInputStream().readNBytes(12));
      }

      ok(acme, Request.newBuilder().setCloseSession(CloseSessionRequest.newBuilder().setName(name)));
      await("session closed").atMost(Duration.ofSeconds(30)).until(
          () -> session(c, name).getStatus().getState() == SessionState.SESSION_CLOSED);
      assertThrows(ConnectException.class, () -> new Socket(ep.getHost(), ep.getPort()).close());
      FornaxAgent ag = agent;
      await("scaled to zero").atMost(Duration.ofSeconds(30)).until(() ->
          ag.runningInstances() == 0 && ok(c, Request.newBuilder().setList(ListRequest.newBuilder()
              .setKind(Kind.INSTANCE))).getList().getItemsList().stream()
              .allMatch(r -> r.getInstance().getState() == InstanceState.INSTANCE_TERMINATED));
    } finally {
      if (agent != null) {
        agent.close();
      }
    }
  }

  private static Session session(FornaxConnection c, String name) {
    return ok(c, Request.newBuilder().setGet(GetRequest.newBuilder().setKind(Kind.SESSION)
        .setName(name))).getResource().getSession();
  }

  private static Response ok(FornaxConnection c, Request.Builder r) {
    return TestCores.ok(c, r);
  }
}
