package io.fornax.agent.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fornax.api.proto.ResourceSpec;
import io.fornax.api.proto.RuntimeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runc for real, where it is installed and we are root (.ci/run installs it). */
class OciRuntimeTest {
  @TempDir Path tmp;
  private final OciRuntime runtime = new OciRuntime("runc", 1 << 20);
  private RunningInstance running;

  @BeforeAll
  static void needsRunc() {
    assumeTrue(OciRuntime.available("runc"), "runc is not installed: OCI runtime tests skipped");
    assumeTrue("root".equals(System.getProperty("user.name")), "runc needs root: OCI tests skipped");
  }

  @AfterEach
  void cleanUp() {
    if (running != null) {
      running.terminate(Duration.ofMillis(200)).orTimeout(20, java.util.concurrent.TimeUnit.SECONDS)
          .exceptionally(e -> -1).join();
    }
  }

  private RunningInstance start(String id, String script) throws IOException {
    running = runtime.start(new InstanceSpec(id, "app",
        RuntimeSpec.newBuilder().setCommand("/bin/sh").addAllArgs(List.of("-c", script))
            .putEnv("GREETING", "hello").setRuntimeClass("oci").build(),
        ResourceSpec.newBuilder().setMemoryBytes(64L << 20).build(), Map.of("FORNAX_INSTANCE_ID", id),
        tmp.resolve(id)));
    return running;
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
