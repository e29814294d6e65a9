package io.fornax.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.agent.runtime.ProcessRuntime;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.CreateApplicationRequest;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Tenant;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.CoreNode;
import io.fornax.core.config.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent across a leader failover (agent restarts: {@link AgentRestartTest}). */
class AgentRecoveryTest {
  @TempDir Path tmp;

  private AgentConfig config(TestCores cores, String dataDir) {
    AgentConfig cfg = new AgentConfig();
    cfg.node = "node-1";
    cfg.cores = cores.apis;
    cfg.tokenFile = cores.tokenFile.toString();
    cfg.dataDir = tmp.resolve(dataDir).toString();
    int base = FreePorts.range(51);
    cfg.ingressPorts.from = base;
    cfg.ingressPorts.to = base + 50;
    return cfg;
  }

  private static void warmPoolApp(TestCores cores, FornaxConnection admin, int pool) {
    String token = TestCores.ok(admin, Request.newBuilder().setCreateTenant(CreateTenantRequest
        .newBuilder().setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName("t")))))
        .getTenantCreated().getToken();
    TestCores.ok(cores.connect(token), Request.newBuilder().setCreateApplication(
        CreateApplicationRequest.newBuilder().setApplication(Application.newBuilder()
            .setMeta(ObjectMeta.newBuilder().setName("sleeper"))
            .setSpec(ApplicationSpec.newBuilder()
                .setRuntime(TestCores.echoRuntime())
                .addPorts(PortSpec.newBuilder().setName("main").setPort(1))
                .setScaling(ScalingPolicy.newBuilder().setMaxInstances(5).setIdleSessionsLow(pool)
                    .setIdleSessionsHigh(pool))))));
  }

  private static List<Instance> live(FornaxConnection admin) {
    return TestCores.ok(admin, Request.newBuilder().setList(ListRequest.newBuilder()
        .setKind(Kind.INSTANCE))).getList().getItemsList().stream().map(r -> r.getInstance())
        .filter(i -> i.getState() == InstanceState.INSTANCE_READY
            || i.getState() == InstanceState.INSTANCE_CREATING
            || i.getState() == InstanceState.INSTANCE_PENDING)
        .toList();
  }

  @Test
  void agentFollowsANewLeaderWithoutDuplicatingInstances() throws Exception {
    try (TestCores cores = new TestCores(tmp);
        FornaxAgent agent = new FornaxAgent(config(cores, "agent"), new ProcessRuntime(1 << 20, null)).start()) {
      FornaxConnection admin0 = cores.connect(TestCores.ADMIN);
      await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> agent.runningInstances() == 0
          && TestCores.ok(admin0, Request.newBuilder().setList(ListRequest.newBuilder()
              .setKind(Kind.NODE))).getList().getItemsCount() == 1);
      warmPoolApp(cores, admin0, 2);
      await("pool of 2 running").ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> agent.runningInstances() == 2
          && live(admin0).stream().allMatch(i -> i.getState() == InstanceState.INSTANCE_READY)
          && live(admin0).size() == 2);
      Set<String> before = live(admin0).stream().map(i -> i.getMeta().getName()).collect(Collectors.toSet());

      CoreNode leader = cores.nodes.stream().filter(n -> n.replica().isLeader()).findFirst().orElseThrow();
      int leaderIndex = cores.nodes.indexOf(leader);
      leader.close();
      cores.nodes.remove(leader);
      cores.apis.remove(leaderIndex);
      FornaxConnection admin = cores.connect(TestCores.ADMIN);
      await("new leader").atMost(Duration.ofSeconds(30)).until(() -> cores.nodes.stream()
          .anyMatch(n -> n.replica().isLeader()));
      // Give the agent time to reconnect and the new leader a few scheduling rounds.
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
      await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> live(admin).size() == 2);
      Set<String> after = live(admin).stream().map(i -> i.getMeta().getName()).collect(Collectors.toSet());
      assertEquals(before, after, "same instances after failover, none duplicated");
      assertEquals(2, agent.runningInstances());
    }
  }
}
