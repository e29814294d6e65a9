package io.fornax.agent.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fornax.api.proto.ResourceSpec;
import io.fornax.api.proto.RuntimeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: start, logs, freeze, resume, terminate, crash detection, cgroup limits. */
class ProcessRuntimeTest {
  @TempDir Path tmp;
  private final ProcessRuntime runtime = new ProcessRuntime(4096, Path.of("/sys/fs/cgroup"));
  private RunningInstance running;

  @AfterEach
  void cleanUp() {
    if (running != null) {
      running.terminate(Duration.ofMillis(100)).orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
          .exceptionally(e -> -1).join();
    }
  }

  private RunningInstance start(String script, ResourceSpec resources) throws IOException {
    running = runtime.start(new InstanceSpec("i-" + System.nanoTime(), "app",
        RuntimeSpec.newBuilder().setCommand("/bin/sh").addAllArgs(List.of("-c", script))
            .putEnv("GREETING", "hello").build(),
        resources, Map.of("FORNAX_INSTANCE_ID", "i-test"), Map.of(), tmp.resolve("instance")));
    return running;
  }

  /** utime + stime of a process, in clock ticks, from /proc. */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  @Test
  void envAndOutputReachTheLogFiles() throws Exception {
    RunningInstance i = start("echo $GREETING $FORNAX_INSTANCE_ID; echo oops >&2", ResourceSpec.getDefaultInstance());
    assertEquals(0, i.exit().get());
    Path dir = tmp.resolve("instance");
    await().atMost(Duration.ofSeconds(5)).until(() ->
        Files.readString(dir.resolve("stdout.log")).equals("hello i-test\n")
            && Files.readString(dir.resolve("stderr.log")).equals("oops\n"));
  }

  @Test
  void logsAreCapped() throws Exception {
    RunningInstance i = start("i=0; while [ $i -lt 2000 ]; do echo 0123456789; i=$((i+1)); done",
        ResourceSpec.getDefaultInstance());
    assertEquals(0, i.exit().get());
    Path dir = tmp.resolve("instance");
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(dir.resolve("stdout.log.1")));
    assertTrue(Files.size(dir.resolve("stdout.log")) <= 4096);
    assertEquals(4096, Files.size(dir.resolve("stdout.log.1")));
  }

  @Test
  void aRestartedRuntimeAdoptsTheLiveProcessOnlyWithItsStartTime() throws Exception {
    RunningInstance original = start("trap 'exit 0' TERM; while :; do sleep 0.1; done",
        ResourceSpec.getDefaultInstance());
    ProcessRuntime restarted = new ProcessRuntime(4096, null);
    Path dir = tmp.resolve("instance");
    assertNull(restarted.adopt("i-x", original.pid(), original.startTime() + 1, dir, false).instance(),
        "another start time: another process");
    assertFalse(original.exit().isDone(), "and it was left alone");
    RunningInstance adopted = restarted.adopt("i-x", original.pid(), original.startTime(), dir, false)
        .instance();
    assertEquals(original.pid(), adopted.pid());
    assertEquals(RunningInstance.UNKNOWN_EXIT, adopted.terminate(Duration.ofSeconds(5))
        .get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(0, original.exit().get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertNull(restarted.adopt("i-x", original.pid(), original.startTime(), dir, false).instance(),
        "gone: nothing to adopt");
  }

  @Test
  void crashIsDetectedWithItsExitCode() throws Exception {
    assertEquals(3, start("exit 3", ResourceSpec.getDefaultInstance()).exit().get());
  }

  @Test
  void frozenInstanceUsesNoCpuAndResumes() throws Exception {
    RunningInstance i = start("while :; do :; done", ResourceSpec.getDefaultInstance());
    long pid = i.pid();
    await().atMost(Duration.ofSeconds(5)).until(() -> cpuTicks(pid) > 5);
    i.freeze();
    assertTrue(i.frozen());
    long atFreeze = cpuTicks(pid);
    // A busy loop earns ~100 ticks/s when running: a second frozen must add at most a tick.
    await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(() -> true);
    assertTrue(cpuTicks(pid) - atFreeze <= 1, "frozen but used " + (cpuTicks(pid) - atFreeze));
    i.resume();
    assertFalse(i.frozen());
    await().atMost(Duration.ofSeconds(5)).until(() -> cpuTicks(pid) > atFreeze + 5);
  }

  @Test
  void terminateSendsTermThenKillAfterTheGrace() throws Exception {
    Path ready = tmp.resolve("ready");
    RunningInstance polite = start("trap 'exit 0' TERM; touch " + ready + "; while :; do sleep 0.1; done",
        ResourceSpec.getDefaultInstance());
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(ready));
    assertEquals(0, polite.terminate(Duration.ofSeconds(10)).get());
    Files.delete(ready);
    RunningInstance stubborn = start("trap '' TERM; touch " + ready + "; while :; do sleep 0.1; done",
        ResourceSpec.getDefaultInstance());
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(ready));
    long t0 = System.nanoTime();
    int code = stubborn.terminate(Duration.ofMillis(300)).get();
    assertEquals(137, code, "killed by SIGKILL");
    assertTrue(System.nanoTime() - t0 >= 300_000_000L, "waited for the grace period");
  }

  @Test
  void childrenDoNotOutliveTheirInstance() throws Exception {
    Path pidFile = tmp.resolve("child.pid");
    RunningInstance i = start("sleep 300 & echo $! > " + pidFile + "; wait",
        ResourceSpec.getDefaultInstance());
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(pidFile)
        && !Files.readString(pidFile).isBlank());
    long child = Long.parseLong(Files.readString(pidFile).trim());
    i.terminate(Duration.ofSeconds(5)).get();
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).isEmpty()
        || !ProcessHandle.of(child).get().isAlive());
  }

  @Test
  void cgroupLimitsAreAppliedWhereCgroupsAllow() throws Exception {
    assumeTrue(runtime.limitsEnforced(), "cgroup v1 memory/cpu/freezer not writable here");
    ProcessInstance i = (ProcessInstance) start("sleep 30", ResourceSpec.newBuilder()
        .setCpuMillis(250).setMemoryBytes(64L << 20).build());
    Cgroups.Group g = i.cgroup();
    assertEquals(Long.toString(64L << 20), g.read("memory", "memory.limit_in_bytes"));
    assertEquals("25000", g.read("cpu", "cpu.cfs_quota_us"));
    assertTrue(g.read("memory", "cgroup.procs").contains(Long.toString(i.pid())));
  }
}
