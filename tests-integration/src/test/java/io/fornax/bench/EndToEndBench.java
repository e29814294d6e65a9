package io.fornax.bench;

import io.fornax.api.Futures;
import io.fornax.api.Nullable;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.Consistency;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionPolicy;
import io.fornax.api.proto.SessionState;
import io.fornax.client.FornaxClient;
import io.fornax.client.OpenOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * End-to-end figures on real replica processes (issue 6): warm, standby and cold session opens
 * next to one raw Raft commit, open+close throughput on simulated nodes, failover times, and
 * memory and restart at 100,000 open sessions. Each measurement takes a {@link BenchTarget};
 * {@link EndToEndMain} runs them on a process cluster and prints the table.
 */
final class EndToEndBench {
  private final BenchTarget target;
  private final FornaxClient admin;
  private final FornaxClient tenant;
  private final FornaxClient local;

  EndToEndBench(BenchTarget target, FornaxClient admin, FornaxClient tenant) {
    this.target = target;
    this.admin = admin;
    this.tenant = tenant;
    this.local = tenant.withConsistency(Consistency.LOCAL);
  }

  private static final Application RAW = simApp("raw", 0, 0, 0, 1);

  /** Raw commits through the API (application updates), sequential, e.g. to warm the JITs up. */
  Stats rawCommit(int runs) {
    tenant.applications().apply(RAW);
    Stats s = new Stats();
    for (int i = 0; i < runs; i++) {
      rawCommitInto(s);
    }
    return s;
  }

  /** One raw commit through the API: an application update, timed into {@code s}. */
  private void rawCommitInto(Stats s) {
    long t0 = System.nanoTime();
    tenant.applications().update(RAW, 0);
    s.add(System.nanoTime() - t0);
  }

  /**
   * Warm opens: an idle instance is waiting (READY, or frozen STANDBY with {@code standby});
   * the time from open to the client seeing AVAILABLE; {@code inCore} gets the part between
   * the open's entry and the AVAILABLE report's; {@code raw}, if given, one raw commit timed
   * just before each open, so both see the same JIT and load (raw commits timed first, on
   * replicas just started, took 3–4× longer than later). Closing is not timed; the instance goes
   * back to the pool. With {@code refill} the pool keeps exactly one idle instance, so each
   * open starts another echo JVM and each close stops one while the next opens run; without,
   * it keeps one or two, and the timed opens run on an otherwise quiet cluster, as raw commits do.
   */
  Stats warmOpen(String name, boolean standby, boolean refill, int runs,
      List<String> echoCommand, Stats inCore, @Nullable Stats raw) {
    tenant.applications().apply(echoApp(name, echoCommand, 1, refill ? 1 : 2, standby, false));
    InstanceState idle = standby ? InstanceState.INSTANCE_STANDBY : InstanceState.INSTANCE_READY;
    Stats s = new Stats();
    for (int i = 0; i < runs; i++) {
      waitFor(() -> idleInstances(name, idle) >= 1, Duration.ofSeconds(60),
          "an idle " + idle + " instance of " + name);
      if (raw != null) {
        rawCommitInto(raw);
      }
      long t0 = System.nanoTime();
      Session opened = tenant.sessions().open(name);
      s.add(System.nanoTime() - t0);
      // The open's entry to the AVAILABLE report's entry, both stamped by replica clocks on
      // this machine: what the core and agent took, without the client's hops and its watch.
      inCore.add((opened.getStatus().getAvailableAtMs() - opened.getStatus().getOpenedAtMs())
          * 1_000_000L);
      tenant.sessions().close(opened.getMeta().getName());
    }
    return s;
  }

  /** Cold opens: no instance exists; the open starts the echo process. */
  Stats coldOpen(int runs, List<String> echoCommand) {
    String name = "cold";
    tenant.applications().apply(echoApp(name, echoCommand, 0, 0, false, true));
    Stats s = new Stats();
    for (int i = 0; i < runs; i++) {
      waitFor(() -> liveInstances(name) == 0, Duration.ofSeconds(60), "no instance of cold");
      long t0 = System.nanoTime();
      Session opened = tenant.sessions().open(name);
      s.add(System.nanoTime() - t0);
      tenant.sessions().close(opened.getMeta().getName());
    }
    return s;
  }

  /**
   * Sustained open+close pairs per second on simulated nodes, {@code concurrency} pairs in
   * flight, for {@code seconds} after a warm-up of the same length.
   */
  double throughput(int concurrency, int seconds) throws InterruptedException {
    String name = "tput";
    tenant.applications().apply(simApp(name, 5_000, 2 * concurrency, 4 * concurrency,
        concurrency));
    waitFor(() -> idleInstances(name, InstanceState.INSTANCE_READY) >= concurrency,
        Duration.ofSeconds(120), concurrency + " idle instances of " + name);
    run(name, concurrency, seconds); // warm-up
    return run(name, concurrency, seconds);
  }

  private double run(String app, int concurrency, int seconds) throws InterruptedException {
    Semaphore slots = new Semaphore(concurrency);
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    while (System.nanoTime() < end) {
      slots.acquire();
      tenant.sessions().openAsync(app, OpenOptions.defaults())
          .thenCompose(s -> tenant.sessions().closeAsync(s.getMeta().getName()))
          .whenComplete((s, e) -> {
            if ((e == null ? done : failed).incrementAndGet() <= 3 && e != null) {
              System.out.printf("  pair failed: %s%n",
                  Futures.cause(e));
            }
            slots.release();
          });
    }
    slots.acquire(concurrency);
    double secs = (System.nanoTime() - start) / 1e9;
    if (failed.get() > 0) {
      System.out.printf("  throughput: %d of %d pairs failed%n", failed.get(),
          failed.get() + done.get());
    }
    return done.get() / secs;
  }

  /**
   * Failover: leader killed → first write accepted, → first new session AVAILABLE, the killed
   * replica restarted → caught up again, and leader killed → a survivor names the next leader
   * (ms).
   */
  long[] failover() throws Exception {
    String app = "fo";
    tenant.applications().apply(simApp(app, 100, 2, 4, 5));
    tenant.applications().apply(simApp("raw", 0, 0, 0, 1));
    waitFor(() -> idleInstances(app, InstanceState.INSTANCE_READY) >= 2, Duration.ofSeconds(60),
        "idle instances of fo");
    String killed = target.killLeader();
    long t0 = System.nanoTime();
    CompletableFuture<Long> elected = CompletableFuture.supplyAsync(() -> {
      target.awaitNewLeader(killed);
      return (System.nanoTime() - t0) / 1_000_000;
    });
    CompletableFuture<Long> write = tenant.applications()
        .updateAsync(simApp("raw", 0, 0, 0, 1), 0)
        .thenApply(a -> (System.nanoTime() - t0) / 1_000_000);
    CompletableFuture<Long> open = tenant.sessions().openAsync(app, OpenOptions.defaults())
        .thenApply(s -> (System.nanoTime() - t0) / 1_000_000);
    long writeMs = write.get();
    long openMs = open.get();
    long rejoinMs = target.restart(killed);
    return new long[] {writeMs, openMs, rejoinMs, elected.get()};
  }

  /** Opens {@code count} sessions on simulated nodes and keeps them open. */
  void holdSessions(int count, int concurrency) throws InterruptedException {
    String app = "held";
    tenant.applications().apply(simApp(app, 100_000, 200, 400, 500).toBuilder()
        .setSpec(simApp(app, 100_000, 200, 400, 500).getSpec().toBuilder()
            .setSession(SessionPolicy.newBuilder().setSessionsPerInstance(100)))
        .build());
    Semaphore slots = new Semaphore(concurrency);
    AtomicLong failed = new AtomicLong();
    for (int i = 0; i < count; i++) {
      slots.acquire();
      // Labelled in buckets, counted bucket by bucket after the restart: from before lists were
      // paged (one list of 100,000 then overflowed a frame), kept so runs stay comparable.
      tenant.sessions().openAsync(app, OpenOptions.builder()
              .label("bucket", Integer.toString(i % HELD_BUCKETS)).build())
          .whenComplete((s, e) -> {
            if (e != null && failed.incrementAndGet() <= 3) {
              System.out.printf("  held session open failed: %s%n",
                  Futures.cause(e));
            }
            slots.release();
          });
    }
    slots.acquire(concurrency);
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " of " + count + " opens failed");
    }
  }

  static final int HELD_BUCKETS = 100;

  /** Sessions of the held app served (AVAILABLE or IN_USE), counted bucket by bucket. */
  long servedHeldSessions() {
    long n = 0;
    for (int b = 0; b < HELD_BUCKETS; b++) {
      n += tenant.sessions().listAsync("held", java.util.Map.of("bucket", Integer.toString(b)))
          .join().stream().filter(s -> s.getStatus().getState() == SessionState.SESSION_AVAILABLE
              || s.getStatus().getState() == SessionState.SESSION_IN_USE).count();
    }
    return n;
  }

  private long idleInstances(String app, InstanceState state) {
    return local.instances().list(app).stream()
        .filter(i -> i.getState() == state && i.getSessionsCount() == 0).count();
  }

  private long liveInstances(String app) {
    return local.instances().list(app).stream().filter(i -> live(i)).count();
  }

  private static boolean live(Instance i) {
    return i.getState() != InstanceState.INSTANCE_TERMINATED
        && i.getState() != InstanceState.INSTANCE_FAILED;
  }

  static Application simApp(String name, int max, int low, int high, int burst) {
    return Application.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/true"))
            .setScaling(ScalingPolicy.newBuilder().setMaxInstances(max).setIdleSessionsLow(low)
                .setIdleSessionsHigh(high).setBurst(Math.max(1, burst))
                .setIdleTimeoutMs(600_000)))
        .build();
  }

  static Application echoApp(String name, List<String> command, int low, int high,
      boolean standby, boolean killOnClose) {
    return Application.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name)
            .putLabels("bench", "e2e"))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand(command.get(0))
                .addAllArgs(command.subList(1, command.size())).setRuntimeClass("process"))
            .addPorts(PortSpec.newBuilder().setName("main").setPort(7000).setProtocol("tcp"))
            .setScaling(ScalingPolicy.newBuilder().setMaxInstances(4).setIdleSessionsLow(low)
                .setIdleSessionsHigh(high)
                .setBurst(2).setStandby(standby).setIdleTimeoutMs(600_000))
            .setSession(SessionPolicy.newBuilder().setKillInstanceOnClose(killOnClose)
                .setOpenTimeoutMs(30_000)))
        .build();
  }

  /** The echo app's command line: this JVM's java and classpath. */
  static List<String> echoCommand() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
        System.getProperty("java.class.path"), "io.fornax.examples.EchoApp"));
    return cmd;
  }

  static void waitFor(BooleanSupplier condition, Duration max, String what) {
    if (!await(condition, max, what)) {
      throw new IllegalStateException("gave up waiting for " + what + " after " + max);
    }
  }

  /** Polls {@code condition} until it holds (true) or {@code max} has passed (false). */
  static boolean await(BooleanSupplier condition, Duration max, String what) {
    long deadline = System.nanoTime() + max.toNanos();
    long pause = 1;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(pause); // polling a remote state: there is nothing local to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what);
      }
      pause = Math.min(50, pause * 2);
    }
    return true;
  }

  /** What the benchmark needs from the cluster it runs on. */
  interface BenchTarget {
    /** SIGKILLs the leader replica and returns its id. */
    String killLeader() throws Exception;

    /** Waits until a surviving replica names a leader other than {@code killed}. */
    void awaitNewLeader(String killed);

    /**
     * Starts a replica that was killed and waits until it has caught up with the group; returns
     * the ms from starting its process (JVM start and recovery included) to caught up.
     */
    long restart(String id) throws Exception;
  }
}
