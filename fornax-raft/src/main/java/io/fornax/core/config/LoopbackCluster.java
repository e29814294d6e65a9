package io.fornax.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Configs for an N-replica cluster on 127.0.0.1 with ports free right now (tests, benchmarks). */
public final class LoopbackCluster {
  private LoopbackCluster() {}

  /** Replica configs {@code core-1..core-n}, data under {@code root/core-i}. */
  public static List<CoreConfig> configs(Path root, int n, String adminTokenHash) {
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

  /** A port nobody listens on at this moment. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
