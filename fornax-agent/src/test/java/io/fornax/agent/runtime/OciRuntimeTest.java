package io.fornax.agent.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fornax.agent.ingress.Ingress;
import io.fornax.api.proto.ResourceSpec;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.core.config.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * runc for real, where it is installed and we are root (.ci/run installs it); the isolated
 * network also needs socat (.ci/run installs it too).
 */
class OciRuntimeTest {
  private static final List<String> HOST_DIRS = List.of("/usr", "/bin", "/lib", "/lib64", "/etc");
  @TempDir Path tmp;
  private final OciRuntime runtime = new OciRuntime("runc", 1 << 20, false, HOST_DIRS);
  private final OciRuntime isolated = new OciRuntime("runc", 1 << 20, true, HOST_DIRS);
  private RunningInstance running;

  @BeforeAll
  static void needsRunc() {
    assumeTrue(OciRuntime.available("runc"), "runc is not installed: OCI runtime tests skipped");
    assumeTrue("root".equals(System.getProperty("user.name")), "runc needs root: OCI tests skipped");
    assumeTrue(OciRuntime.relaysAvailable(), "socat or nsenter missing: OCI runtime tests skipped");
  }

  @AfterEach
  void cleanUp() {
    if (running != null) {
      running.terminate(Duration.ofMillis(200)).orTimeout(20, java.util.concurrent.TimeUnit.SECONDS)
          .exceptionally(e -> -1).join();
    }
  }

  private RunningInstance start(String id, String script) throws IOException {
    running = runtime.start(spec(id, script, Map.of("FORNAX_INSTANCE_ID", id), Map.of()));
    return running;
  }

  private InstanceSpec spec(String id, String script, Map<String, String> env,
      Map<String, Integer> ports) {
    return new InstanceSpec(id, "app",
        RuntimeSpec.newBuilder().setCommand("/bin/sh").addAllArgs(List.of("-c", script))
            .putEnv("GREETING", "hello").setRuntimeClass("oci").build(),
        ResourceSpec.newBuilder().setMemoryBytes(64L << 20).build(), env, ports, tmp.resolve(id));
  }

  @Test
  void runsInItsOwnNamespacesWithEnvAndLogs() throws Exception {
    RunningInstance i = start("oci-ns", "echo $GREETING $FORNAX_INSTANCE_ID; echo pid $$; echo host $(cat /proc/sys/kernel/hostname)");
    assertEquals(0, i.exit().get());
    await().atMost(Duration.ofSeconds(5)).until(() ->
        Files.readString(tmp.resolve("oci-ns/stdout.log")).contains("host "));
    String out = Files.readString(tmp.resolve("oci-ns/stdout.log"));
    assertTrue(out.contains("hello oci-ns"), out);
    assertTrue(out.contains("pid 1\n"), "own pid namespace: " + out);
    assertTrue(out.contains("host oci-ns\n"), "own uts namespace (hostname): " + out);
  }

  @Test
  void exitCodeIsTheContainers() throws Exception {
    assertEquals(3, start("oci-exit", "exit 3").exit().get());
  }

  @Test
  void pauseStopsTheContainerAndResumeContinues() throws Exception {
    Path bundle = tmp.resolve("oci-pause").resolve("bundle").resolve("config.json");
    RunningInstance i = start("oci-pause", "i=0; while :; do i=$((i+1)); echo $i > /tmp/n; done");
    long pid = initPid("fornax-oci-pause");
    await().atMost(Duration.ofSeconds(10)).until(() -> cpuTicks(pid) > 5);
    i.freeze();
    assertTrue(i.frozen());
    long at = cpuTicks(pid);
    await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
    assertTrue(cpuTicks(pid) - at <= 1, "paused but used CPU");
    i.resume();
    await().atMost(Duration.ofSeconds(10)).until(() -> cpuTicks(pid) > at + 5);
    assertTrue(Files.readString(bundle).contains("\"limit\" : 67108864"), "memory limit in the bundle");
  }

  @Test
  void terminateEndsAContainerThatIgnoresTerm() throws Exception {
    Path dir = tmp.resolve("oci-term");
    RunningInstance i = start("oci-term", "trap '' TERM; echo up; while :; do sleep 0.1; done");
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("stdout.log"))
        && Files.readString(dir.resolve("stdout.log")).contains("up"));
    int code = i.terminate(Duration.ofMillis(500)).get();
    assertTrue(code != 0, "killed, exit code " + code);
  }

  @Test
  void anIsolatedContainerHasOnlyLoopbackAndCannotReachTheNode() throws Exception {
    try (ServerSocket node = new ServerSocket(FreePorts.one(), 1, InetAddress.getLoopbackAddress())) {
      running = isolated.start(spec("oci-netns", "cat /proc/net/dev; "
          + "if socat -u OPEN:/dev/null TCP:127.0.0.1:" + node.getLocalPort()
          + " 2>/dev/null; then echo node-reachable; else echo node-unreachable; fi",
          Map.of(), Map.of()));
      assertEquals(0, running.exit().get(20, TimeUnit.SECONDS));
    }
    String out = Files.readString(tmp.resolve("oci-netns/stdout.log"));
    assertTrue(out.contains("lo:"), out);
    List<String> interfaces = out.lines().filter(l -> l.contains(":") && !l.contains("|"))
        .map(l -> l.trim().substring(0, l.trim().indexOf(':'))).toList();
    assertEquals(List.of("lo"), interfaces, "only loopback in its own network namespace: " + out);
    assertTrue(out.contains("node-unreachable"), "the node's loopback is not the container's: " + out);
  }

  @Test
  void anIsolatedContainersPortIsReachableOnlyThroughTheIngress() throws Exception {
    int port = FreePorts.one();
    running = isolated.start(spec("oci-port", "sleep 1; exec socat TCP-LISTEN:" + port
        + ",bind=127.0.0.1,fork,reuseaddr EXEC:cat", Map.of(), Map.of("main", port)));
    assertFalse(running.listening(port), "nothing listens during the first second");
    await().atMost(Duration.ofSeconds(20)).until(() -> running.listening(port));
    assertThrows(java.net.ConnectException.class, () -> echo(port, "direct"),
        "the instance's port is not on the node's network");
    int base = FreePorts.range(3);
    try (Ingress ingress = new Ingress("127.0.0.1", base, base + 2)) {
      int via = ingress.open("s-1", running.target(port));
      assertEquals("through the namespace", echo(via, "through the namespace"));
    }
  }

  @Test
  void anIsolatedContainerReachesTheSessionServerThroughItsUnixSocket() throws Exception {
    try (ServerSocket sessionServer = new ServerSocket(FreePorts.one(), 5, InetAddress.getLoopbackAddress())) {
      sessionServer.setSoTimeout(20_000);
      running = isolated.start(spec("oci-session",
          "echo \"$FORNAX_SESSION_SERVER\"; echo hello-from-inside | socat - \"UNIX-CONNECT:${FORNAX_SESSION_SERVER#unix:}\"",
          Map.of("FORNAX_SESSION_SERVER", "127.0.0.1:" + sessionServer.getLocalPort()), Map.of()));
      try (Socket s = sessionServer.accept()) {
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
            StandardCharsets.UTF_8)).readLine();
        assertEquals("hello-from-inside", line);
      }
    }
    assertEquals(0, running.exit().get(20, TimeUnit.SECONDS));
    assertTrue(Files.readString(tmp.resolve("oci-session/stdout.log"))
        .contains("unix:/run/fornax/session.sock"));
  }

  @Test
  void aRestartedAgentReAdoptsARunningContainerWithItsRelays() throws Exception {
    int port = FreePorts.one();
    Path dir = tmp.resolve("oci-adopt");
    RunningInstance first = isolated.start(spec("oci-adopt", "exec socat TCP-LISTEN:" + port
        + ",bind=127.0.0.1,fork,reuseaddr EXEC:cat", Map.of(), Map.of("main", port)));
    running = first;
    await().atMost(Duration.ofSeconds(20)).until(() -> first.listening(port));
    first.freeze();
    killOneRelay(dir);

    // What the next agent run does: a new runtime, given what the record kept.
    OciRuntime next = new OciRuntime("runc", 1 << 20, true, HOST_DIRS);
    Adoption a = next.adopt("oci-adopt", first.pid(), first.startTime(), dir, false);
    assertNotNull(a.instance(), a.reason());
    RunningInstance adopted = a.instance();
    running = adopted;
    assertTrue(adopted.frozen(), "paused containers come back frozen");
    adopted.resume();
    assertTrue(adopted.listening(port));
    int base = FreePorts.range(3);
    try (Ingress ingress = new Ingress("127.0.0.1", base, base + 2)) {
      int via = ingress.open("s-1", adopted.target(port));
      assertEquals("after the restart", echo(via, "after the restart"), "the dead relay was restarted");
    }

    adopted.terminate(Duration.ofMillis(500)).get(20, TimeUnit.SECONDS);
    assertFalse(state("fornax-oci-adopt"), "container deleted after it ended");
    assertFalse(Files.exists(dir.resolve("run/bridges")), "relays gone with it");
  }

  @Test
  void aContainerThatEndedWhileTheAgentWasDownIsNotAdoptedAndCleanedUp() throws Exception {
    Path dir = tmp.resolve("oci-gone");
    RunningInstance first = isolated.start(spec("oci-gone", "exec sleep 600", Map.of(), Map.of()));
    running = first;
    long pid = first.pid();
    long startTime = first.startTime();
    new ProcessBuilder("runc", "kill", "fornax-oci-gone", "KILL").start().waitFor();
    first.exit().get(20, TimeUnit.SECONDS);
    Adoption a = new OciRuntime("runc", 1 << 20, true, HOST_DIRS)
        .adopt("oci-gone", pid, startTime, dir, false);
    assertNull(a.instance());
    assertTrue(a.reason().contains("gone"), a.reason());
    assertFalse(state("fornax-oci-gone"));
  }

  @Test
  void cleanUpDeletesTheContainerAFolderNames() throws Exception {
    Path dir = tmp.resolve("oci-orphan");
    running = isolated.start(spec("oci-orphan", "exec sleep 600", Map.of(), Map.of()));
    assertTrue(state("fornax-oci-orphan"));
    isolated.cleanUp(dir);
    assertTrue(running.exit().get(20, TimeUnit.SECONDS) != 0, "ended with its container");
    assertFalse(state("fornax-oci-orphan"));
  }

  private static String echo(int port, String text) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
      return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
          StandardCharsets.UTF_8)).readLine();
    }
  }

  /** Kills the relay of the instance's port, as if it had died with the agent. */
  private static void killOneRelay(Path dir) throws Exception {
    String line = Files.readAllLines(dir.resolve("run/bridges")).stream()
        .filter(l -> l.contains("nsenter")).findFirst().orElseThrow();
    long pid = Long.parseLong(line.split("\t")[0]);
    new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor();
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(pid).isEmpty()
        || !ProcessHandle.of(pid).get().isAlive());
  }

  /** Whether runc knows container {@code id}. */
  private static boolean state(String id) throws Exception {
    Process p = new ProcessBuilder("runc", "state", id).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  private static long initPid(String id) throws Exception {
    return await().atMost(Duration.ofSeconds(10)).until(() -> {
      Process p = new ProcessBuilder("runc", "state", id).start();
      String json = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return json.isBlank() ? 0L : new ObjectMapper().readTree(json).path("pid").asLong();
    }, pid -> pid > 0);
  }

  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
