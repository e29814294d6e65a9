package io.fornax.core.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for tests and benchmarks that start servers on ports chosen before the servers
 * bind them.
 *
 * <p>A port asked from the kernel with {@code bind(0)} comes from the ephemeral range, which is
 * also where every outgoing connection takes its source port: between choosing such a port and
 * binding it, a client socket of the same run may take it (Ratis then exits the JVM with "Failed
 * to start Grpc server"). So ports are chosen below the ephemeral range (read from {@code
 * /proc/sys/net/ipv4/ip_local_port_range}), from a random start so concurrent runs rarely meet,
 * checked free by binding them, and never handed out twice by one JVM.
 */
public final class FreePorts {
  private static final int LOWEST = 10_000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final Set<Integer> GIVEN = new HashSet<>();

  private FreePorts() {}

  /** One free loopback port outside the ephemeral range. */
  public static int one() {
    return range(1);
  }

  /** The first of {@code n} consecutive free loopback ports outside the ephemeral range. */
  public static synchronized int range(int n) {
    if (n < 1 || n > 1000) {
      throw new IllegalArgumentException("port range size must be 1..1000, got " + n);
    }
    int hi = ephemeralLow() - 1;
    int span = hi - LOWEST + 1 - n;
    if (span < 100) {
      throw new IllegalStateException(
          "no room for ports below the ephemeral range (starts at " + (hi + 1) + ")");
    }
    int start = ThreadLocalRandom.current().nextInt(span);
    for (int step = 0; step < span; step += n) {
      int base = LOWEST + (start + step) % span;
      if (allFree(base, n)) {
        for (int p = base; p < base + n; p++) {
          GIVEN.add(p);
        }
        return base;
      }
    }
    throw new IllegalStateException("no " + n + " consecutive free loopback ports below " + hi);
  }

  private static boolean allFree(int base, int n) {
    for (int p = base; p < base + n; p++) {
      if (GIVEN.contains(p) || !bindable(p)) {
        return false;
      }
    }
    return true;
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
  static int ephemeralLow() {
    // Not Files.readString: /proc files report size 0 and it may stop after the first byte.
    try (var in = Files.newBufferedReader(EPHEMERAL_RANGE)) {
      String[] parts = in.readLine().trim().split("\\s+");
      return Integer.parseInt(parts[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
