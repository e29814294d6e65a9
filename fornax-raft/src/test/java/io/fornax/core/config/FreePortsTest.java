package io.fornax.core.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void portsAreBelowTheEphemeralRangeBindableAndNeverGivenTwice() throws Exception {
    int ephemeral = FreePorts.ephemeralLow();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int p = FreePorts.one();
      assertTrue(p >= 10_000 && p < ephemeral, p + " outside [10000, " + ephemeral + ")");
      assertTrue(seen.add(p), "port " + p + " handed out twice");
      try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
        assertTrue(s.isBound());
      }
    }
  }

  @Test
  void rangesAreConsecutiveAndDisjointFromEarlierPorts() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      int base = FreePorts.range(40);
      for (int p = base; p < base + 40; p++) {
        assertTrue(seen.add(p), "port " + p + " in two ranges");
      }
    }
    assertThrows(IllegalArgumentException.class, () -> FreePorts.range(0));
  }

  @Test
  void aPortSomeoneListensOnIsNeverGiven() throws Exception {
    int p = FreePorts.one();
    // Listen on the next candidates: none of them may come back.
    try (ServerSocket busy = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < 100; i++) {
        assertTrue(FreePorts.one() != busy.getLocalPort());
      }
    }
  }
}
