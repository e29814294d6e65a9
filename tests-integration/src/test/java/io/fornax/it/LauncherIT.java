package io.fornax.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher: {@code bin/fornax local --clean --no-shell} with a private data dir and
 * client config. It starts, writes the client config, reports a killed replica while the rest keep
 * running, and leaves no process behind after SIGTERM. Uses the local cluster's fixed loopback
 * ports: skipped when they are taken.
 */
class LauncherIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final int[] PORTS = {9871, 9872, 9873, 9881, 9882, 9883};
  private static final Pattern PIDS = Pattern.compile(
      "core-1 pid (\\d+), core-2 pid (\\d+), core-3 pid (\\d+), agent pid (\\d+)");

  @TempDir Path tmp;
  private Process launcher;
  private final List<ProcessHandle> started = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    if (launcher != null) {
      launcher.descendants().forEach(started::add);
      launcher.destroyForcibly();
    }
    started.forEach(ProcessHandle::destroyForcibly);
    // Gone before the next test, which needs the same fixed ports.
    await("launched processes gone").atMost(Duration.ofSeconds(30))
        .until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
  }

  /** Starts {@code bin/fornax local --clean --no-shell}; returns its output file once ready. */
  private Path startLocal(Path data, Path config) throws Exception {
    assumeTrue(Files.isExecutable(ROOT.resolve("bin/fornax")), "no bin/fornax under " + ROOT);
    assumeTrue(Files.isDirectory(ROOT.resolve("fornax-raft/target/lib"))
        && Files.isDirectory(ROOT.resolve("fornax-agent/target/lib")), "jars not built");
    for (int port : PORTS) {
      // A cluster stopped a moment ago may still be releasing it; a running one never does.
      boolean released;
      try {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
            .until(() -> free(port));
        released = true;
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        released = false;
      }
      assumeTrue(released, "port " + port + " is taken (a local Fornax cluster running?)");
    }
    Path out = tmp.resolve("launcher.out");
    ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("bin/fornax").toString(), "local",
        "--clean", "--no-shell")
        .directory(tmp.toFile()) // works from any directory
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().put("FORNAX_LOCAL_DATA", data.toString());
    pb.environment().put("FORNAX_CONFIG", config.toString());
    pb.environment().put("FORNAX_SKIP_BUILD", "1"); // never a Maven build inside this Maven run
    launcher = pb.start();
    await("cluster ready").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          assertTrue(launcher.isAlive(), () -> "launcher exited:\n" + read(out));
          return read(out).contains("fornax local: cluster ready");
        });
    return out;
  }

  /**
   * The README's walkthrough, pasted as it stands into bash against the launched cluster: every
   * command succeeds, the bytes come back through the ingress, and the app scales to zero.
   */
  @Test
  void theReadmeWalkthroughWorksAsWritten() throws Exception {
    boolean hasNc = Files.isExecutable(Path.of("/usr/bin/nc")) || Files.isExecutable(Path.of("/bin/nc"));
    if (System.getenv("CI") == null) {
      assumeTrue(hasNc, "nc is not installed (apt-get install netcat-openbsd)");
    }
    Path config = tmp.resolve("client/config");
    Files.createDirectories(config.getParent());
    startLocal(tmp.resolve("data"), config);
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher block = Pattern.compile(
        "<!-- walkthrough:start -->\\s*```sh\\n(.*?)```\\s*<!-- walkthrough:end -->",
        Pattern.DOTALL).matcher(readme);
    assertTrue(block.find(), "README.md has no walkthrough block");
    Path script = tmp.resolve("walkthrough.sh");
    Files.writeString(script, "set -euo pipefail\n" + block.group(1));
    Path out = tmp.resolve("walkthrough.out");
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
        .directory(ROOT.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().put("FORNAX_CONFIG", config.toString());
    pb.environment().put("FORNAX_SKIP_BUILD", "1");
    pb.environment().remove("FORNAX_TOKEN");
    pb.environment().remove("FORNAX_ENDPOINTS");
    Process walk = pb.start();
    assertTrue(walk.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), "walkthrough hangs");
    String said = read(out);
    assertEquals(0, walk.exitValue(), said);
    assertTrue(said.contains("application/echo created"), said);
    assertTrue(Pattern.compile("s-\\S+ is AVAILABLE at 127\\.0\\.0\\.1:\\d+").matcher(said).find(),
        said);
    assertTrue(said.contains("\nhello, fornax\n"), "the bytes came back:\n" + said);
    assertTrue(said.contains("CLOSED (closed by client)"), said);
    assertTrue(said.contains("TERMINATED app=echo"), "the idle instance was reaped:\n" + said);
    assertTrue(said.strip().lines().anyMatch(l -> l.matches("echo\\s+0/0\\s.*")),
        "scaled to zero:\n" + said);
  }

  @Test
  void startsWritesTheClientConfigSurvivesAKilledReplicaAndStopsEverythingOnSigterm()
      throws Exception {
    Path data = tmp.resolve("data");
    Path config = tmp.resolve("client/config");
    Files.createDirectories(config.getParent());
    Files.writeString(config, """
        current: prod
        contexts:
          prod:
            endpoints: ["core-1.example.internal:9881"]
            token: admin.prod-token
        """);
    Path out = startLocal(data, config);
    Map<String, ProcessHandle> children = children(read(out));
    started.addAll(children.values());
    for (ProcessHandle child : children.values()) {
      assertTrue(child.isAlive());
      assertEquals(launcher.pid(), child.parent().map(ProcessHandle::pid).orElse(-1L),
          "each replica and the agent is the launcher's own child process");
    }

    String token = Files.readString(data.resolve("admin.token")).trim();
    String written = Files.readString(config);
    assertTrue(written.contains("current: local\n"), written);
    assertTrue(written.contains("""
          local:
            endpoints: ["127.0.0.1:9881", "127.0.0.1:9882", "127.0.0.1:9883"]
            token: %s
        """.formatted(token)), written);
    assertTrue(written.contains("""
          prod:
            endpoints: ["core-1.example.internal:9881"]
            token: admin.prod-token
        """), "other contexts are kept:\n" + written);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));

    ProcessHandle core1 = children.get("core-1");
    core1.destroyForcibly();
    await("the launcher reports core-1's exit").atMost(Duration.ofSeconds(15))
        .until(() -> read(out).contains("core-1 (pid " + core1.pid() + ") exited"));
    // The rest keep running: no cascade, no silent restart.
    await("the others keep running").during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3)).until(() -> launcher.isAlive()
            && List.of("core-2", "core-3", "agent").stream()
                .allMatch(name -> children.get(name).isAlive()));

    List<ProcessHandle> all = new ArrayList<>(launcher.descendants().toList());
    started.addAll(all);
    launcher.destroy(); // SIGTERM
    await("launcher stopped").atMost(Duration.ofSeconds(15)).until(() -> !launcher.isAlive());
    assertEquals(143, launcher.exitValue(), read(out));
    await("no process left behind").atMost(Duration.ofSeconds(15))
        .until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
    assertTrue(read(out).contains("local: stopped"), read(out));
  }

  private static Map<String, ProcessHandle> children(String output) {
    Matcher m = PIDS.matcher(output);
    assertTrue(m.find(), "no pids in:\n" + output);
    Map<String, ProcessHandle> out = new LinkedHashMap<>();
    String[] names = {"core-1", "core-2", "core-3", "agent"};
    for (int i = 0; i < names.length; i++) {
      long pid = Long.parseLong(m.group(i + 1));
      out.put(names[i], ProcessHandle.of(pid).orElseThrow(
          () -> new AssertionError("pid " + pid + " is gone:\n" + output)));
    }
    return out;
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
