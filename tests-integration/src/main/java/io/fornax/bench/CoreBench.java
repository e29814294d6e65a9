package io.fornax.bench;

import io.fornax.api.Threads;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.CreateApplicationCmd;
import io.fornax.api.proto.CreateTenantCmd;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionCmd;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionSpec;
import io.fornax.api.proto.Tenant;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.LoopbackCluster;
import io.fornax.core.ratis.LeaderListener;
import io.fornax.core.ratis.RaftReplica;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replicated-core benchmark: three real replicas (Ratis over gRPC on 127.0.0.1, RocksDB) in this
 * JVM. Writes are session opens proposed through the leader replica's commit path (group
 * committer, Ratis client, log replication to a majority, apply); reads are ReadIndex barriers on
 * a follower. Prints one table; compare ratios within a run, the machine is noisy.
 *
 * <p>Run: {@code mvn -B -q -Pbench -Dbench=core -DskipTests verify -pl tests-integration -am}. System
 * properties: {@code bench.seconds} (per throughput point, default 5), {@code bench.ops}
 * (latency samples, default 2000), {@code bench.warmup} (seconds of untimed load per mode
 * before anything is measured, default 5).
 *
 * <p>Both modes share this JVM, and the one measured second would otherwise run on code the
 * first one got compiled: an untimed warm-up cluster of each mode runs first, so neither
 * measured cluster starts on a colder JIT than the other.
 */
public final class CoreBench {
  private static final Caller TENANT = Caller.newBuilder().setTenant("bench").build();
  private static final int[] WRITERS = {1, 16, 256};

  private final int seconds = Integer.getInteger("bench.seconds", 5);
  private final int ops = Integer.getInteger("bench.ops", 2000);
  private final int warmup = Integer.getInteger("bench.warmup", 5);
  private final AtomicLong sessionSeq = new AtomicLong();
  private final Map<String, String> rows = new LinkedHashMap<>();

  public static void main(String[] args) throws Exception {
    Threads.commonPoolOfAtLeastTwo();
    run(args);
    System.exit(0);
  }

  static void run(String[] args) throws Exception {
    new CoreBench().run();
  }

  private void run() throws Exception {
    Path root = Files.createTempDirectory("fornax-core-bench");
    for (boolean groupCommit : new boolean[] {true, false}) {
      try (Cluster c = Cluster.start(root.resolve("warm-up-" + groupCommit), groupCommit)) {
        c.prepare();
        for (int writers : WRITERS) {
          runWriters(c, writers, Math.max(1, warmup / WRITERS.length));
        }
      }
    }
    Map<Integer, Double> batched;
    Map<Integer, Double> unbatched;
    try (Cluster c = Cluster.start(root.resolve("batched"), true)) {
      c.prepare();
      Stats commit = sequential(() -> c.leader.submit(openSession()));
      rows.put("commit latency, 1 writer (p50 / p99 ms)", fmt(commit));
      Stats read = sequential(() -> c.follower.readBarrier());
      rows.put("linearizable read on a follower (p50 / p99 ms)", fmt(read));
      batched = throughput(c);
    }
    try (Cluster c = Cluster.start(root.resolve("unbatched"), false)) {
      c.prepare();
      unbatched = throughput(c);
    }
    for (int w : WRITERS) {
      rows.put("writes/s, " + w + " writers, group commit ON", String.format("%,.0f", batched.get(w)));
      rows.put("writes/s, " + w + " writers, group commit OFF",
          String.format("%,.0f", unbatched.get(w)));
    }
    rows.put("group commit gain at 256 writers (goal >= 10x)",
        String.format("%.1fx", batched.get(256) / unbatched.get(256)));
    print();
  }

  private Stats sequential(java.util.function.Supplier<CompletableFuture<?>> op) {
    for (int i = 0; i < ops / 10; i++) {
      op.get().join(); // warm-up
    }
    Stats s = new Stats();
    for (int i = 0; i < ops; i++) {
      long t0 = System.nanoTime();
      op.get().join();
      s.add(System.nanoTime() - t0);
    }
    return s;
  }

  /** Closed-loop writers: each sends its next open as soon as the last one is committed. */
  private Map<Integer, Double> throughput(Cluster c) throws InterruptedException {
    Map<Integer, Double> out = new LinkedHashMap<>();
    for (int writers : WRITERS) {
      runWriters(c, writers, 1); // warm-up
      AtomicLong done = runWriters(c, writers, seconds);
      out.put(writers, done.get() / (double) seconds);
      System.err.printf("  %s: %d writers -> %,.0f writes/s%n", c.name, writers,
          done.get() / (double) seconds);
    }
    return out;
  }

  private AtomicLong runWriters(Cluster c, int writers, int secs) throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<CompletableFuture<Void>> loops = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      CompletableFuture<Void> finished = new CompletableFuture<>();
      loops.add(finished);
      next(c, running, done, failed, finished);
    }
    TimeUnit.SECONDS.sleep(secs); // the measurement window itself, not a wait for a condition
    running.set(false);
    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS)
        .join();
    if (failed.get() > 0) {
      System.err.printf("  %s: %d writes failed%n", c.name, failed.get());
    }
    return done;
  }

  private void next(Cluster c, AtomicBoolean running, AtomicLong done, AtomicLong failed,
      CompletableFuture<Void> finished) {
    if (!running.get()) {
      finished.complete(null);
      return;
    }
    c.leader.submit(openSession()).whenComplete((r, e) -> {
      if (e == null && r.getError().getCode() == ErrorCode.OK) {
        if (running.get()) {
          done.incrementAndGet();
        }
      } else {
        failed.incrementAndGet();
      }
      next(c, running, done, failed, finished);
    });
  }

  private Command openSession() {
    String name = "s-" + sessionSeq.incrementAndGet();
    return Command.newBuilder().setNowMs(System.currentTimeMillis()).setCaller(TENANT)
        .setOpenSession(OpenSessionCmd.newBuilder().setSession(Session.newBuilder()
            .setMeta(ObjectMeta.newBuilder().setTenant("bench").setName(name).setUid(name))
            .setSpec(SessionSpec.newBuilder().setApplication("echo"))))
        .build();
  }

  private static String fmt(Stats s) {
    return String.format("%.2f / %.2f", s.percentileMs(50), s.percentileMs(99));
  }

  private void print() {
    int width = rows.keySet().stream().mapToInt(String::length).max().orElse(10);
    System.out.println();
    System.out.printf("Fornax core benchmark: 3 replicas in one JVM, %d cores, %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
    System.out.println("-".repeat(width + 20));
    rows.forEach((k, v) -> System.out.printf("%-" + width + "s  %s%n", k, v));
  }

  /** Three replicas; {@code leader} and one {@code follower} picked once a leader is ready. */
  private static final class Cluster implements AutoCloseable {
    final String name;
    final List<RaftReplica> replicas = new ArrayList<>();
    RaftReplica leader;
    RaftReplica follower;

    private Cluster(String name) {
      this.name = name;
    }

    static Cluster start(Path root, boolean groupCommit) throws IOException, InterruptedException {
      Cluster c = new Cluster(groupCommit ? "group commit ON" : "group commit OFF");
      for (CoreConfig cfg : LoopbackCluster.configs(root, 3, "0".repeat(64))) {
        cfg.groupCommit.enabled = groupCommit;
        cfg.groupCommit.maxInFlight = Integer.getInteger("bench.maxInFlight", cfg.groupCommit.maxInFlight);
        cfg.raft.snapshotThreshold = 200_000;
        c.replicas.add(RaftReplica.start(cfg, LeaderListener.NONE, Clock.systemUTC()));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (c.leader == null && System.nanoTime() < deadline) {
        c.leader = c.replicas.stream().filter(RaftReplica::isLeader).findFirst().orElse(null);
        TimeUnit.MILLISECONDS.sleep(50); // polling for the election, bounded by the deadline
      }
      if (c.leader == null) {
        throw new IllegalStateException("no leader elected within 30 s");
      }
      c.follower = c.replicas.stream().filter(r -> r != c.leader).findFirst().orElseThrow();
      return c;
    }

    void prepare() {
      check(leader.submit(Command.newBuilder().setNowMs(1).setCaller(Caller.newBuilder().setAdmin(true))
          .setCreateTenant(CreateTenantCmd.newBuilder().setTenant(Tenant.newBuilder()
              .setMeta(ObjectMeta.newBuilder().setName("bench")))).build()).join());
      check(leader.submit(Command.newBuilder().setNowMs(1).setCaller(TENANT)
          .setCreateApplication(CreateApplicationCmd.newBuilder().setApplication(Application.newBuilder()
              .setMeta(ObjectMeta.newBuilder().setTenant("bench").setName("echo"))
              .setSpec(ApplicationSpec.newBuilder()
                  .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/cat"))
                  .setScaling(ScalingPolicy.newBuilder().setMaxInstances(10).setBurst(1)))))
          .build()).join());
    }

    private static void check(CommandResult r) {
      if (r.getError().getCode() != ErrorCode.OK) {
        throw new IllegalStateException(r.getError().getMessage());
      }
    }

    @Override
    public void close() throws IOException {
      for (RaftReplica r : replicas) {
        r.close();
      }
    }
  }
}
