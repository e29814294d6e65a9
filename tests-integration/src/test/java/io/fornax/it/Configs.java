package io.fornax.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The YAML a {@link ProcessCluster} writes (see conf/local/*.yaml for each setting's meaning). */
final class Configs {
  private Configs() {}

  /** Replica {@code id}; {@code peers} are YAML list lines, one per replica. */
  static String core(String id, Path dir, List<String> peers, ClusterOptions o) {
    return String.join("\n",
        "id: " + id,
        "dataDir: " + dir.resolve(id),
        "adminTokenFile: " + dir.resolve("admin.token"),
        "peers:",
        String.join("\n", peers),
        "api:",
        "  maxFrameBytes: " + o.maxFrameBytes,
        "  requestTimeout: 10s",
        "  frameTimeout: " + ms(o.frameTimeout),
        "raft:",
        "  electionTimeoutMin: " + ms(o.electionTimeoutMin),
        "  electionTimeoutMax: " + ms(o.electionTimeoutMax),
        "  snapshotThreshold: " + o.snapshotThreshold,
        "  snapshotsRetained: 2",
        "  segmentBytes: " + o.segmentBytes,
        "scheduler:",
        "  tick: 100ms",
        "  nodeNotReadyAfter: " + ms(o.nodeNotReadyAfter),
        "  nodeDownAfter: " + ms(o.nodeDownAfter),
        "");
  }

  /** Agent of node {@code name}: fixed capacity, no cgroups, 40 ingress ports from {@code ingress}. */
  static String agent(String name, Path dir, List<String> cores, int ingress) {
    return String.join("\n",
        "node: " + name,
        "cores: [" + String.join(", ", cores.stream().map(a -> "\"" + a + "\"").toList()) + "]",
        "tokenFile: " + dir.resolve("admin.token"),
        "address: 127.0.0.1",
        "dataDir: " + dir.resolve("agent-" + name),
        "runtime: process",
        "capacity:",
        "  cpuMillis: 8000",
        "  memoryBytes: 8589934592",
        "  maxInstances: 20",
        "ingressPorts:",
        "  from: " + ingress,
        "  to: " + (ingress + 39),
        "sessionHeartbeatTimeout: 10s",
        "cgroupRoot: \"\"",
        "");
  }

  private static String ms(Duration d) {
    return d.toMillis() + "ms";
  }
}
