package io.fornax.bench;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.client.FornaxClient;
import io.fornax.it.ClusterOptions;
import io.fornax.it.ProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The end-to-end benchmark of issue 6 on real replica processes (3 core replicas, each its own
 * JVM, plus agent processes), printing one table. Two clusters run one after the other: one
 * with a real agent (process runtime, the echo app) for the session-open latencies, one with
 * 1,000 simulated nodes for throughput, failover and memory.
 *
 * <pre>mvn -B -q -Pbench -Dbench=e2e -DskipTests verify -pl tests-integration -am</pre>
 *
 * Knobs ({@code -De2e=runs=50,nodes=200}): {@code runs} (latency samples, 200), {@code coldRuns}
 * (30), {@code nodes} (1000), {@code concurrency} (open+close pairs in flight, 512), {@code
 * seconds} (throughput window, 10), {@code sessions} (held sessions, 100000), {@code failovers}
 * (3).
 */
public final class EndToEndMain {
  private EndToEndMain() {}

  private static final List<String[]> ROWS = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    int runs = knob("runs", 200);
    int coldRuns = knob("coldRuns", 30);
    int nodes = knob("nodes", 1000);
    int concurrency = knob("concurrency", 512);
    int seconds = knob("seconds", 10);
    int sessions = knob("sessions", 100_000);
    int failovers = knob("failovers", 3);
    System.out.printf("Fornax end-to-end benchmark: %d cores, %d MiB max heap here, Java %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));

    Path root = Files.createTempDirectory("fornax-e2e");
    if (knob("real", 1) == 1) {
      realAgentPhase(root, runs, coldRuns);
    }
    if (knob("sim", 1) == 1) {
      simulatedPhase(root, nodes, concurrency, seconds, failovers, sessions);
    }
    print();
    System.exit(0);
  }

  private static void simulatedPhase(Path root, int nodes, int concurrency, int seconds,
      int failovers, int sessions) throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root.resolve("sim"),
        ClusterOptions.defaults().forBenchmarks().simulatedNodes("sims", nodes))) {
      cluster.start();
      try (Bench b = Bench.on(cluster)) {
        EndToEndBench.waitFor(() -> b.admin.nodes().list().size() >= nodes,
            Duration.ofMinutes(2), nodes + " simulated nodes");
        double pairs = b.bench.throughput(concurrency, seconds);
        add(new String[] {"open+close pairs/s, " + nodes + " simulated nodes, "
            + concurrency + " in flight", String.format("%.0f", pairs), "target ≥ 5,000/s"});
        Stats write = new Stats();
        Stats open = new Stats();
        Stats rejoin = new Stats();
        Stats elected = new Stats();
        for (int i = 0; i < failovers; i++) {
          long[] ms = b.bench.failover();
          write.add(ms[0] * 1_000_000);
          open.add(ms[1] * 1_000_000);
          rejoin.add(ms[2] * 1_000_000);
          elected.add(ms[3] * 1_000_000);
        }
        row("failover: leader SIGKILL → a survivor names the next leader, p50/max ms", elected,
            "detection + election", 100);
        row("failover: leader SIGKILL → first write accepted, p50/max ms", write,
            "target ≤ 1,000", 100);
        row("failover: leader SIGKILL → first new session AVAILABLE, p50/max ms", open,
            "target ≤ 2,000", 100);
        row("killed replica started again → caught up, p50/max ms", rejoin,
            "JVM start and recovery included", 100);
        long t0 = System.nanoTime();
        b.bench.holdSessions(sessions, concurrency);
        double openSecs = (System.nanoTime() - t0) / 1e9;
        String leader = cluster.leader();
        long rss = rss(cluster.pid(leader));
        add(new String[] {"leader RSS with " + sessions + " open sessions",
            (rss >> 20) + " MiB", String.format("opened in %.1f s; heap pre-touched", openSecs)});
        long live = liveHeap(cluster.pid(leader));
        add(new String[] {"leader live heap with " + sessions + " open sessions (after a full GC)",
            (live >> 20) + " MiB", "jcmd GC.class_histogram total"});
        long d0 = System.nanoTime();
        for (String id : cluster.replicas()) {
          cluster.stop(id);
        }
        for (String id : cluster.replicas()) {
          cluster.start(id);
        }
        cluster.leader(Duration.ofMinutes(3));
        // Served: AVAILABLE or IN_USE again (a session LOST with its node would only be listed).
        long[] served = {0};
        boolean back = EndToEndBench.await(
            () -> (served[0] = b.bench.servedHeldSessions()) >= sessions, Duration.ofMinutes(5),
            "every session served after the restart");
        double restartSecs = (System.nanoTime() - d0) / 1e9;
        add(new String[] {"stop all + restart all, until " + sessions
            + " sessions are served", back ? String.format("%.1f s", restartSecs)
                : "FAILED: " + served[0] + " served after 5 min",
            "leader data dir " + (dirBytes(cluster.dataDir(leader)) >> 20) + " MiB"});
      }
    }
  }

  /** Session opens on a real agent running the echo app, next to one raw commit. */
  private static void realAgentPhase(Path root, int runs, int coldRuns) throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root.resolve("real"),
        ClusterOptions.defaults().forBenchmarks().agent("node-1"))) {
      cluster.start();
      try (Bench b = Bench.on(cluster)) {
        b.bench.rawCommit(runs); // untimed: the replicas' JITs warm up
        Stats raw = new Stats();
        Stats warmCore = new Stats();
        Stats warm = b.bench.warmOpen("warm", false, false, runs, EndToEndBench.echoCommand(),
            warmCore, raw);
        row("raw Raft commit (app update), each just before a warm open, p50/p99 ms", raw, "");
        row("warm open (idle READY → AVAILABLE), p50/p99 ms", warm,
            String.format("target ≤ 2× raw: %.1f× at p50", warm.percentileMs(50)
                / raw.percentileMs(50)));
        row("  of which open received → agent's answer (core clocks), p50/p99 ms", warmCore,
            "then one commit");
        Stats refillCore = new Stats();
        Stats refill = b.bench.warmOpen("refill", false, true, runs,
            EndToEndBench.echoCommand(), refillCore, null);
        row("warm open while the pool refills (an echo JVM starts per open), p50/p99 ms", refill,
            String.format("%.1f× raw at p50 (how earlier sessions measured)",
                refill.percentileMs(50) / raw.percentileMs(50)));
        Stats standbyCore = new Stats();
        Stats standby = b.bench.warmOpen("standby", true, true, runs,
            EndToEndBench.echoCommand(), standbyCore, null);
        row("standby open (frozen → AVAILABLE), p50/p99 ms", standby,
            String.format("%.1f× raw at p50", standby.percentileMs(50) / raw.percentileMs(50)));
        row("  of which open entry → AVAILABLE entry (core clocks), p50/p99 ms", standbyCore, "");
        Stats cold = b.bench.coldOpen(coldRuns, EndToEndBench.echoCommand());
        row("cold open (echo process, JVM) p50/p99 ms", cold, coldRuns + " runs");
      }
    }
  }

  /** A tenant, its client and the bench over one cluster. */
  private record Bench(FornaxClient admin, FornaxClient tenant, EndToEndBench bench)
      implements AutoCloseable {
    static Bench on(ProcessCluster cluster) {
      FornaxClient admin = cluster.client();
      String token = admin.tenants().create("bench").getToken();
      FornaxClient tenant = FornaxClient.builder().endpoints(cluster.endpoints()).token(token)
          .attemptTimeout(Duration.ofSeconds(2)).build();
      return new Bench(admin, tenant, new EndToEndBench(new Target(cluster), admin, tenant));
    }

    @Override
    public void close() {
      tenant.close();
    }
  }

  private record Target(ProcessCluster cluster) implements EndToEndBench.BenchTarget {
    @Override
    public String killLeader() {
      String leader = cluster.leader();
      cluster.kill(leader);
      return leader;
    }

    /** Polls one survivor (at most 50 ms apart): it learns the leader with its first append. */
    @Override
    public void awaitNewLeader(String killed) {
      String survivor = cluster.replicas().stream().filter(r -> !r.equals(killed)).findFirst()
          .orElseThrow();
      EndToEndBench.waitFor(() -> {
        try {
          String leader = cluster.status(survivor).getLeader();
          return !leader.isEmpty() && !leader.equals(killed);
        } catch (RuntimeException notYet) {
          return false;
        }
      }, Duration.ofMinutes(1), "a leader after " + killed);
    }

    /**
     * Starts {@code id} again and waits until it has caught up with the group: the next failover
     * must begin with three replicas up, or killing the leader leaves no majority and the
     * measure is the restart of the previous victim, not a failover.
     */
    @Override
    public long restart(String id) {
      cluster.start(id);
      long t0 = System.nanoTime();
      long commit = cluster.status(cluster.leader()).getCommitIndex();
      EndToEndBench.waitFor(() -> {
        try {
          ClusterStatus s = cluster.status(id);
          // Commit, not applied: Raft's own entries (a new term's first) are never applied.
          return !s.getLeader().isEmpty() && s.getCommitIndex() >= commit;
        } catch (RuntimeException notYet) {
          return false;
        }
      }, Duration.ofMinutes(2), id + " caught up after its restart");
      return (System.nanoTime() - t0) / 1_000_000;
    }
  }

  private static void add(String[] row) {
    System.out.printf("e2e: %s: %s (%s)%n", row[0], row[1], row[2]);
    System.out.flush();
    ROWS.add(row);
  }

  private static int knob(String name, int fallback) {
    for (String kv : System.getProperty("e2e", "").split(",")) {
      String[] p = kv.split("=", 2);
      if (p.length == 2 && p[0].trim().equals(name)) {
        return Integer.parseInt(p[1].trim());
      }
    }
    return fallback;
  }

  private static void row(String what, Stats s, String note) {
    row(what, s, note, 99);
  }

  private static void row(String what, Stats s, String note, double high) {
    add(new String[] {what, String.format("%.2f / %.2f", s.percentileMs(50),
        s.percentileMs(high)), note});
  }

  private static void print() {
    int w0 = ROWS.stream().mapToInt(r -> r[0].length()).max().orElse(10);
    int w1 = ROWS.stream().mapToInt(r -> r[1].length()).max().orElse(10);
    System.out.println();
    for (String[] r : ROWS) {
      System.out.printf("%-" + w0 + "s  %" + w1 + "s  %s%n", r[0], r[1], r[2]);
    }
  }

  private static long rss(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) << 10;
      }
    }
    return -1;
  }

  /** Live heap bytes of a JVM: the total of a class histogram, which runs a full GC first. */
  private static long liveHeap(long pid) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd")
        .toString(), Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    for (String line : out.split("\n")) {
      if (line.startsWith("Total ")) {
        String[] f = line.trim().split("\\s+");
        return Long.parseLong(f[2]);
      }
    }
    return -1;
  }

  private static long dirBytes(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
