package io.fornax.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fornax.agent.runtime.OciRuntime;
import io.fornax.agent.runtime.ProcessRuntime;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.CreateApplicationRequest;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.Endpoint;
import io.fornax.api.proto.GetRequest;
import io.fornax.api.proto.Instance;
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
import io.fornax.core.config.FreePorts;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted agent re-adopts the instances its previous run left alive (same pid, same
 * sessions on the same ingress ports, no replacement on the core) and cleans up the dead ones.
 */
class AgentRestartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private Path agentConfig(TestCores cores) throws IOException {
    return agentConfig(cores, List.of());
  }

  /** @param extra more lines of YAML */
  private Path agentConfig(TestCores cores, List<String> extra) throws IOException {
    int ingress = FreePorts.range(51);
    Path yaml = tmp.resolve("agent.yaml");
    Files.writeString(yaml, String.join("\n", extra) + "\n" + String.join("\n",
        "node: node-1",
        "cores: [" + String.join(", ", cores.apis.stream().map(a -> "\"" + a + "\"").toList()) + "]",
        "tokenFile: " + cores.tokenFile,
        "dataDir: " + tmp.resolve("agent"),
        "ingressPorts: {from: " + ingress + ", to: " + (ingress + 50) + "}",
        "sessionServerPort: " + FreePorts.one(),
        "cgroupRoot: \"\"", ""));
    return yaml;
  }

  /** The agent as its own JVM, as bin/fornax runs it. */
  private Process agentProcess(Path yaml) throws IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(), "--config", yaml.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("agent-process.log").toFile()).start();
  }

  private static FornaxConnection echoApp(TestCores cores, int pool) {
    FornaxConnection admin = cores.connect(TestCores.ADMIN);
    String token = TestCores.ok(admin, Request.newBuilder().setCreateTenant(CreateTenantRequest
        .newBuilder().setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName("t")))))
        .getTenantCreated().getToken();
    FornaxConnection t = cores.connect(token);
    TestCores.ok(t, Request.newBuilder().setCreateApplication(CreateApplicationRequest.newBuilder()
        .setApplication(Application.newBuilder().setMeta(ObjectMeta.newBuilder().setName("echo"))
            .setSpec(ApplicationSpec.newBuilder()
                .setRuntime(TestCores.echoRuntime())
                .addPorts(PortSpec.newBuilder().setName("main").setPort(7000))
                .setScaling(ScalingPolicy.newBuilder().setMaxInstances(3).setIdleSessionsLow(pool)
                    .setIdleSessionsHigh(pool))))));
    return t;
  }

  private static List<Instance> instances(FornaxConnection c) {
    return TestCores.ok(c, Request.newBuilder().setList(ListRequest.newBuilder()
        .setKind(Kind.INSTANCE))).getList().getItemsList().stream().map(r -> r.getInstance()).toList();
  }

  private static Session session(FornaxConnection c, String name) {
    return TestCores.ok(c, Request.newBuilder().setGet(GetRequest.newBuilder().setKind(Kind.SESSION)
        .setName(name))).getResource().getSession();
  }

  private static void assertEchoes(Endpoint ep, String text) throws IOException {
    try (Socket s = new Socket(ep.getHost(), ep.getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      assertArrayEquals(text.getBytes(StandardCharsets.UTF_8),
          s.getInputStream().readNBytes(text.length()));
    }
  }

  /** The only instance record under the agent's data dir. */
  private JsonNode record() throws IOException {
    try (Stream<Path> dirs = Files.list(tmp.resolve("agent/instances"))) {
      Path file = dirs.map(d -> d.resolve("instance.json")).filter(Files::exists).findFirst().orElseThrow();
      return JSON.readTree(file.toFile());
    }
  }

  /** Deletes the containers whose bundles are under {@code dir}; returns their ids. */
  private static List<String> deleteContainersUnder(Path dir) throws Exception {
    Process p = new ProcessBuilder("runc", "list", "--format", "json").start();
    JsonNode list = JSON.readTree(p.getInputStream().readAllBytes());
    p.waitFor();
    List<String> ids = new java.util.ArrayList<>();
    for (JsonNode c : list.isArray() ? list : JSON.createArrayNode()) {
      if (c.path("bundle").asText().startsWith(dir.toString())) {
        ids.add(c.path("id").asText());
        new ProcessBuilder("runc", "delete", "--force", c.path("id").asText()).start().waitFor();
      }
    }
    return ids;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Whether any process has FORNAX_INSTANCE_ID=id in its environment. */
  static boolean anyProcessOf(String id) throws IOException {
    byte[] marker = ("FORNAX_INSTANCE_ID=" + id + "\0").getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
        try {
          return indexOf(Files.readAllBytes(p.resolve("environ")), marker) >= 0;
        } catch (IOException e) {
          return false; // gone, or not ours to read
        }
      });
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void agentKilledWithSigkillIsReplacedByOneThatReadoptsItsInstanceAndSession() throws Exception {
    killAndReadopt(false);
  }

  /**
   * The same with the echo app in an OCI container with its own network namespace: the
   * container, its relays and its session survive the agent; the next agent re-adopts them.
   */
  @Test
  void agentKilledWithSigkillReadoptsAnOciContainerWithItsOwnNetwork() throws Exception {
    assumeTrue(OciRuntime.available("runc") && "root".equals(System.getProperty("user.name"))
        && OciRuntime.relaysAvailable(), "needs runc, root, socat and nsenter: skipped");
    killAndReadopt(true);
  }

  /** Host directories the echo app's JVM needs inside a container: the JDK is under /usr. */
  private static List<String> classpathDirs() {
    List<String> dirs = new java.util.ArrayList<>(List.of("/usr", "/bin", "/lib", "/lib64", "/etc"));
    dirs.addAll(OciRuntime.classPathDirs(System.getProperty("java.class.path")));
    return dirs;
  }

  private void killAndReadopt(boolean oci) throws Exception {
    try (TestCores cores = new TestCores(tmp)) {
      Path yaml = oci ? agentConfig(cores, List.of("runtime: oci", "ociNetwork: isolated",
          "ociHostDirs: [" + String.join(", ", classpathDirs().stream().map(d -> "\"" + d + "\"").toList()) + "]"))
          : agentConfig(cores);
      Process first = agentProcess(yaml);
      FornaxAgent second = null;
      try {
        FornaxConnection t = echoApp(cores, 0);
        String name = TestCores.ok(t, Request.newBuilder().setOpenSession(OpenSessionRequest.newBuilder()
            .setApplication("echo").setOpenTimeoutMs(60_000))).getResource().getSession()
            .getMeta().getName();
        Session open = await("session available").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(
            () -> session(t, name), s -> s.getStatus().getState() == SessionState.SESSION_AVAILABLE);
        Endpoint ep = open.getStatus().getEndpoints(0);
        assertEchoes(ep, "before the crash");
        JsonNode rec = await("record lists the session").atMost(Duration.ofSeconds(10))
            .ignoreExceptions().until(this::record, r -> r.get("sessions").has(name));
        long pid = rec.get("pid").asLong();
        String instance = rec.get("name").asText();

        first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
        first.waitFor();
        assertTrue(alive(pid), "the instance outlives its agent");

        AgentConfig cfg = AgentConfig.load(yaml);
        second = new FornaxAgent(cfg, new ProcessRuntime(1 << 20, null),
            oci ? new OciRuntime("runc", 1 << 20, true, cfg.ociHostDirs) : null).start();
        assertEquals(pid, second.pids().get(instance), "re-adopted: same process");
        FornaxAgent agent = second;
        await("instance reconnected to the session server").atMost(Duration.ofSeconds(20))
            .until(() -> agent.speaksToSessionServer(instance));
        await("echo through the same ingress port").atMost(Duration.ofSeconds(20)).ignoreExceptions()
            .untilAsserted(() -> assertEchoes(ep, "after the restart"));
        await("core keeps the instance, replaces nothing").atMost(Duration.ofSeconds(20))
            .ignoreExceptions().untilAsserted(() -> assertEquals(List.of(instance + " ALLOCATED"),
                instances(t).stream().map(i -> i.getMeta().getName() + " "
                    + i.getState().name().substring("INSTANCE_".length())).toList()));
        Session after = session(t, name);
        assertEquals(SessionState.SESSION_AVAILABLE, after.getStatus().getState());
        assertEquals(ep, after.getStatus().getEndpoints(0));
        assertEquals(1, second.runningInstances());
        if (oci) {
          Process state = new ProcessBuilder("runc", "state", "fornax-" + instance).start();
          JsonNode st = JSON.readTree(state.getInputStream().readAllBytes());
          assertEquals("running", st.path("status").asText(), "the same container, still running");
          assertTrue(Files.exists(tmp.resolve("agent/instances/t_" + instance + "/run/session.sock")));
        }
      } finally {
        first.destroyForcibly();
        if (second != null) {
          second.close();
        }
        if (oci) {
          assertEquals(List.of(), deleteContainersUnder(tmp), "containers left after close");
        }
      }
    }
  }

  @Test
  void instanceThatDiedWhileTheAgentWasDownIsReportedFailedAndCleanedUp() throws Exception {
    try (TestCores cores = new TestCores(tmp)) {
      AgentConfig cfg = AgentConfig.load(agentConfig(cores));
      FornaxAgent crashed = new FornaxAgent(cfg, new ProcessRuntime(1 << 20, null)).start();
      FornaxConnection t = echoApp(cores, 1);
      await("pool of 1 ready").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
          instances(t).stream().anyMatch(i -> i.getState() == InstanceState.INSTANCE_READY));
      String instance = instances(t).get(0).getMeta().getName();
      long pid = crashed.pids().get(instance);
      crashed.stopWithoutCleanup(); // like kill -9: the instance keeps running
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      await("instance died").atMost(Duration.ofSeconds(10)).until(() -> !alive(pid));

      try (FornaxAgent restarted = new FornaxAgent(cfg, new ProcessRuntime(1 << 20, null)).start()) {
        assertFalse(restarted.pids().containsKey(instance), "a dead instance is not adopted");
        assertFalse(Files.exists(tmp.resolve("agent/instances/t_" + instance)), "folder removed");
        await("reported failed").atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
            instances(t).stream().anyMatch(i -> i.getMeta().getName().equals(instance)
                && i.getState() == InstanceState.INSTANCE_FAILED));
        assertFalse(anyProcessOf(instance), "no process of the dead instance left");
      }
    }
  }
}
