package io.fornax.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.util.ExitUtils;

/** Configs for an N-replica cluster on 127.0.0.1 with ports free right now (tests, benchmarks). */
public final class LoopbackCluster {
  private LoopbackCluster() {}

  /**
   * Replica configs {@code core-1..core-n}, data under {@code root/core-i}. These replicas run
   * inside the caller's JVM, so Ratis is told not to exit it on a fatal error (a port it cannot
   * bind, say): the error fails the starting call instead of killing a test run with no trace.
   */
  public static List<CoreConfig> configs(Path root, int n, String adminTokenHash) {
    ExitUtils.disableSystemExit();
    List<CoreConfig.Peer> peers = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      peers.add(new CoreConfig.Peer("core-" + i, "127.0.0.1:" + freePort(), "127.0.0.1:" + freePort()));
    }
    List<CoreConfig> out = new ArrayList<>();
    for (CoreConfig.Peer p : peers) {
      CoreConfig c = new CoreConfig();
      c.id = p.id;
      c.dataDir = root.resolve(p.id).toString();
      c.adminTokenHash = adminTokenHash;
      c.peers = peers;
      out.add(c);
    }
    return out;
  }

  /** A loopback port nobody listens on at this moment and not handed out before (see {@link FreePorts}). */
  public static int freePort() {
    return FreePorts.one();
  }
}
