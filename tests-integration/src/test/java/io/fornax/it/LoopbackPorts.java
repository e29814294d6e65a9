package io.fornax.it;

import io.fornax.core.config.LoopbackCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;

/** Ports on 127.0.0.1 that are free when the cluster is made (bound, then released). */
final class LoopbackPorts {
  private LoopbackPorts() {}

  /** A free port not in {@code taken}; adds it there. */
  static int reserve(Set<Integer> taken) {
    for (int i = 0; i < 100; i++) {
      int p = LoopbackCluster.freePort();
      if (taken.add(p)) {
        return p;
      }
    }
    throw new IllegalStateException("no free loopback port in 100 tries");
  }

  /** The first of {@code n} consecutive loopback ports that are all free right now. */
  static int freeRange(int n) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = LoopbackCluster.freePort();
      if (base + n > 65_535) {
        continue;
      }
      boolean free = true;
      for (int p = base; p < base + n && free; p++) {
        try (var s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          // free
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no range of " + n + " free loopback ports in 50 tries");
  }
}
