package io.fornax.it;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a {@link ProcessCluster} is configured: defaults suit tests (short timeouts). */
public final class ClusterOptions {
  int replicas = 3;
  Duration electionTimeoutMin = Duration.ofMillis(400);
  Duration electionTimeoutMax = Duration.ofMillis(800);
  long snapshotThreshold = 10_000;
  long segmentBytes = 8L << 20;
  /** As in production: agents get time to find a new leader before their node is DOWN. */
  Duration nodeNotReadyAfter = Duration.ofSeconds(3);
  Duration nodeDownAfter = Duration.ofSeconds(10);
  Duration frameTimeout = Duration.ofSeconds(30);
  int maxFrameBytes = 4 << 20;
  /** Agents by node name: the number of simulated nodes, or 0 for a real agent. */
  final Map<String, Integer> agents = new LinkedHashMap<>();
  /** Agents that {@link FornaxCluster#start()} starts (the others wait for startAgent). */
  final Map<String, Boolean> autostart = new LinkedHashMap<>();

  /** Extra JVM flags for every replica (later flags win: -Xmx1g overrides the suite's 256m). */
  List<String> replicaJvmFlags = List.of();
  /** Extra JVM flags for every agent process. */
  List<String> agentJvmFlags = List.of();

  /**
   * Replica JVMs sized and compiled for measuring rather than for sharing two cores, with the
   * election timeout a replica has by default and in {@code conf/local} (300-600 ms): the
   * failover figures are the shipped single-machine configuration's. The suite keeps 400-800 ms,
   * its 256 MiB C1-only replicas share two cores with the tests and must not elect needlessly.
   */
  public ClusterOptions forBenchmarks() {
    // Fixed, pre-touched heaps: on the benchmark VMs the first touch of a page costs ~15 us
    // (1 GiB: 3.8 s), and the serial collector's pauses copying survivors into untouched pages
    // reached 0.3-1.9 s, longer than the election timeout. MetaspaceSize: no full collections
    // while classes load at start.
    List<String> both = List.of("-XX:+AlwaysPreTouch", "-XX:MetaspaceSize=128m",
        "-XX:TieredStopAtLevel=4");
    List<String> flags = new java.util.ArrayList<>(List.of("-Xms1g", "-Xmx1g"));
    List<String> agentFlags = new java.util.ArrayList<>(List.of("-Xms512m", "-Xmx1g"));
    flags.addAll(both);
    agentFlags.addAll(both);
    // The replicas' collector instead of serial: ZGC, G1 or Parallel (-XX:+UseZGC, UseG1GC, ...)
    String gc = System.getProperty("e2e.gc", "");
    if (!gc.isEmpty()) {
      flags.add("-XX:+Use" + (gc.endsWith("GC") ? gc : gc + "GC"));
    }
    // Extra flags for replicas and agents, e.g. -De2e.jvm="-Xms2g -Xlog:gc:file=/tmp/gc-%p.log"
    for (String f : System.getProperty("e2e.jvm", "").trim().split("\\s+")) {
      if (!f.isEmpty()) {
        flags.add(f);
        agentFlags.add(f);
      }
    }
    this.replicaJvmFlags = List.copyOf(flags);
    this.agentJvmFlags = List.copyOf(agentFlags);
    io.fornax.core.config.CoreConfig.Raft shipped = new io.fornax.core.config.CoreConfig.Raft();
    this.electionTimeoutMin = shipped.electionTimeoutMin;
    this.electionTimeoutMax = shipped.electionTimeoutMax;
    return this;
  }

  public static ClusterOptions defaults() {
    return new ClusterOptions();
  }

  /** A real agent (process runtime) on node {@code name}, started with the cluster. */
  public ClusterOptions agent(String name) {
    return agent(name, 0, true);
  }

  /** One agent process running {@code n} simulated nodes {@code name-sim-1..n}. */
  public ClusterOptions simulatedNodes(String name, int n) {
    return agent(name, n, true);
  }

  ClusterOptions agent(String name, int simulated, boolean startWithCluster) {
    agents.put(name, simulated);
    autostart.put(name, startWithCluster);
    return this;
  }

  /** Snapshots every {@code entries} applied entries, log segments of {@code bytes}. */
  ClusterOptions snapshots(long entries, long bytes) {
    this.snapshotThreshold = entries;
    this.segmentBytes = bytes;
    return this;
  }

  ClusterOptions nodeTimeouts(Duration notReady, Duration down) {
    this.nodeNotReadyAfter = notReady;
    this.nodeDownAfter = down;
    return this;
  }

  ClusterOptions frames(int maxBytes, Duration timeout) {
    this.maxFrameBytes = maxBytes;
    this.frameTimeout = timeout;
    return this;
  }
}
