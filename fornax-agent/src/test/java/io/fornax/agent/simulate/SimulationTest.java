package io.fornax.agent.simulate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.CreateApplicationRequest;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.Tenant;
import io.fornax.client.internal.FornaxConnection;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Virtual nodes speak the real protocol to the real core: sessions open on them. */
class SimulationTest {
  @TempDir Path tmp;

  @Test
  void virtualNodesRegisterAndServeSessions() throws Exception {
    try (var cores = new io.fornax.agent.TestCoresAccess(tmp);
        Simulation sim = new Simulation(cores.apis(), cores.admin(), Duration.ofMillis(20),
            Duration.ofMillis(5)).start("sim", 20)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> sim.connected() == 20);
      FornaxConnection admin = cores.connect(cores.admin());
      Response nodes = cores.ok(admin, Request.newBuilder().setList(ListRequest.newBuilder().setKind(Kind.NODE)));
      assertTrue(nodes.getList().getItemsCount() == 20 && nodes.getList().getItemsList().stream()
          .allMatch(r -> r.getNode().getSpec().getSimulated()), "listed as simulated");
      String token = cores.ok(admin, Request.newBuilder().setCreateTenant(CreateTenantRequest
          .newBuilder().setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName("t")))))
          .getTenantCreated().getToken();
      FornaxConnection t = cores.connect(token);
      cores.ok(t, Request.newBuilder().setCreateApplication(CreateApplicationRequest.newBuilder()
          .setApplication(Application.newBuilder().setMeta(ObjectMeta.newBuilder().setName("fn"))
              .setSpec(ApplicationSpec.newBuilder().setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/true"))
                  .setScaling(ScalingPolicy.newBuilder().setMaxInstances(100).setIdleSessionsLow(5)
                      .setIdleSessionsHigh(5).setBurst(50))))));
      for (int i = 0; i < 50; i++) {
        cores.ok(t, Request.newBuilder().setOpenSession(OpenSessionRequest.newBuilder().setApplication("fn")));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> cores.ok(t, Request.newBuilder()
          .setList(ListRequest.newBuilder().setKind(Kind.SESSION))).getList().getItemsList().stream()
          .filter(r -> r.getSession().getStatus().getState() == SessionState.SESSION_AVAILABLE)
          .count() == 50);
    }
  }

}
