package io.fornax.bench;

import io.fornax.agent.ingress.Ingress;
import io.fornax.agent.runtime.InstanceRuntime;
import io.fornax.agent.runtime.InstanceSpec;
import io.fornax.agent.runtime.OciRuntime;
import io.fornax.agent.runtime.ProcessRuntime;
import io.fornax.agent.runtime.RunningInstance;
import io.fornax.agent.session.SessionServer;
import io.fornax.api.proto.ResourceSpec;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.core.config.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's data path on real processes: cold start of the echo app (process started → it
 * speaks to the session server: what the agent waits for after an assignment), standby resume
 * (frozen instance → resumed and the session open answered ready), and the ingress against a
 * direct connection (1-byte round trips, bulk throughput), all in one run.
 * {@code -Dbench.runs} (default 100).
 */
public final class AgentBench {
  private AgentBench() {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.getInteger("bench.runs", 100);
    Path dir = Files.createTempDirectory("fornax-agent-bench");
    ProcessRuntime runtime = new ProcessRuntime(1 << 20, Path.of("/sys/fs/cgroup"));
    System.out.printf("%nAgent benchmark: %d runs, %d cores, %s, cgroups %s%n", runs,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
        runtime.limitsEnforced() ? "on" : "off");
    System.out.println("-".repeat(78));
    try (SessionServer sessions = new SessionServer((i, s, w) -> { }, Duration.ofSeconds(30))
        .start("127.0.0.1", 0)) {
      coldStart(runtime, "process", sessions, dir, runs);
      resume(runtime, runtime.limitsEnforced() ? "process, cgroup freezer" : "process, SIGSTOP/SIGCONT",
          sessions, dir, runs);
      if (OciRuntime.available("runc") && "root".equals(System.getProperty("user.name"))
          && OciRuntime.relaysAvailable()) {
        List<String> hostDirs = new ArrayList<>(List.of("/usr", "/bin", "/lib", "/lib64", "/etc"));
        hostDirs.addAll(OciRuntime.classPathDirs(System.getProperty("java.class.path")));
        OciRuntime oci = new OciRuntime("runc", 1 << 20, true, hostDirs);
        coldStart(oci, "runc, own network", sessions, dir, runs);
        resume(oci, "runc pause/resume", sessions, dir, runs);
      } else {
        System.out.println("(OCI rows skipped: needs runc, socat, nsenter and root)");
      }
    }
    ingress(runs);
  }

  private static RunningInstance echo(InstanceRuntime runtime, SessionServer sessions, Path dir,
      String id) throws IOException {
    sessions.register(id, "t-" + id);
    int port = FreePorts.one();
    return runtime.start(new InstanceSpec(id, "echo", RuntimeSpec.newBuilder()
            .setCommand(Path.of(System.getProperty("java.home"), "bin", "java").toString())
            .addArgs("-XX:TieredStopAtLevel=1").addArgs("-Xshare:auto")
            .addArgs("-cp").addArgs(System.getProperty("java.class.path"))
            .addArgs("io.fornax.examples.EchoApp").build(),
        ResourceSpec.getDefaultInstance(),
        Map.of("FORNAX_SESSION_SERVER", sessions.address(), "FORNAX_INSTANCE_ID", id,
            "FORNAX_SESSION_TOKEN", "t-" + id, "FORNAX_PORT_MAIN", Integer.toString(port)),
        Map.of("main", port), dir.resolve(id)));
  }

  private static void coldStart(InstanceRuntime runtime, String label, SessionServer sessions,
      Path dir, int runs) throws Exception {
    Stats s = new Stats();
    for (int i = 0; i < Math.min(runs, 100); i++) {
      String id = "cold-" + i;
      long t0 = System.nanoTime();
      RunningInstance inst = echo(runtime, sessions, dir, id);
      while (!sessions.isConnected(id)) {
        Thread.onSpinWait(); // measuring: a busy wait adds no scheduler delay to the figure
        if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
          throw new IllegalStateException("echo app did not connect within 30 s");
        }
      }
      s.add(System.nanoTime() - t0);
      inst.terminate(Duration.ofSeconds(2)).get();
      sessions.forget(id);
    }
    System.out.printf("cold start, echo app (JVM) until ready  p50 %.1f ms  p99 %.1f ms  (n=%d, %s)%n",
        s.percentileMs(50), s.percentileMs(99), s.count(), label);
  }

  private static void resume(InstanceRuntime runtime, String label, SessionServer sessions,
      Path dir, int runs) throws Exception {
    RunningInstance inst = echo(runtime, sessions, dir, "standby");
    long t0 = System.nanoTime();
    while (!sessions.isConnected("standby") && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30)) {
      Thread.onSpinWait();
    }
    Stats s = new Stats();
    for (int i = 0; i < runs; i++) {
      inst.freeze();
      long start = System.nanoTime();
      inst.resume();
      sessions.open("standby", "s-" + i, new byte[0]).get(10, TimeUnit.SECONDS);
      s.add(System.nanoTime() - start);
      sessions.close("standby", "s-" + i, Duration.ofSeconds(5)).get();
    }
    inst.terminate(Duration.ofSeconds(2)).get();
    System.out.printf("standby resume + session ready            p50 %.2f ms  p99 %.2f ms  (n=%d, %s)%n",
        s.percentileMs(50), s.percentileMs(99), s.count(), label);
  }

  private static void ingress(int runs) throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        while (!echo.isClosed()) {
          try {
            Socket c = echo.accept();
            Thread h = new Thread(() -> {
              try (c) {
                c.setTcpNoDelay(true);
                c.getInputStream().transferTo(c.getOutputStream());
              } catch (IOException e) {
                // done
              }
            });
            h.setDaemon(true);
            h.start();
          } catch (IOException e) {
            return;
          }
        }
      });
      t.setDaemon(true);
      t.start();
      int base = FreePorts.range(11);
      try (Ingress ingress = new Ingress("127.0.0.1", base, base + 10)) {
        int viaPort = ingress.open("bench", "127.0.0.1", echo.getLocalPort());
        int roundTrips = Math.max(2000, runs * 50);
        Stats direct = pingPong(echo.getLocalPort(), roundTrips);
        Stats via = pingPong(viaPort, roundTrips);
        System.out.printf("1-byte round trip, direct                 p50 %.3f ms  p99 %.3f ms%n",
            direct.percentileMs(50), direct.percentileMs(99));
        System.out.printf("1-byte round trip, through the ingress    p50 %.3f ms  p99 %.3f ms  (+%.3f ms p50)%n",
            via.percentileMs(50), via.percentileMs(99), via.percentileMs(50) - direct.percentileMs(50));
        double d = throughput(echo.getLocalPort());
        double v = throughput(viaPort);
        System.out.printf("bulk echo throughput, direct / ingress   %.0f / %.0f MB/s (%.0f%%)%n", d, v,
            100 * v / d);
      }
    }
  }

  private static Stats pingPong(int port, int n) throws IOException {
    Stats s = new Stats();
    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
      c.setTcpNoDelay(true);
      OutputStream out = c.getOutputStream();
      InputStream in = c.getInputStream();
      for (int i = 0; i < n + 200; i++) {
        long t0 = System.nanoTime();
        out.write(1);
        if (in.read() < 0) {
          throw new IOException("closed");
        }
        if (i >= 200) {
          s.add(System.nanoTime() - t0);
        }
      }
    }
    return s;
  }

  /** MB/s echoed: 256 MiB written while another thread reads the echo back. */
  private static double throughput(int port) throws Exception {
    long total = 256L << 20;
    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
      byte[] buf = new byte[64 << 10];
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = c.getOutputStream();
          for (long sent = 0; sent < total; sent += buf.length) {
            out.write(buf);
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      long t0 = System.nanoTime();
      writer.start();
      InputStream in = c.getInputStream();
      byte[] rb = new byte[64 << 10];
      for (long got = 0; got < total; ) {
        int n = in.read(rb);
        if (n < 0) {
          throw new IOException("closed early");
        }
        got += n;
      }
      writer.join();
      return total / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }
  }

}
