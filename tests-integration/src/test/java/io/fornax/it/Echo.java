package io.fornax.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.proto.Endpoint;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Talking to the echo example through a session's endpoint, and finding its processes. */
final class Echo {
  private Echo() {}

  /** Sends a line through the session's ingress endpoint and asserts it comes back. */
  static void assertEchoes(Session s) {
    Endpoint ep = s.getStatus().getEndpoints(0);
    byte[] hello = ("hello " + s.getMeta().getName()).getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(ep.getHost(), ep.getPort()), 5_000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(hello);
      assertEquals(new String(hello, StandardCharsets.UTF_8),
          new String(socket.getInputStream().readNBytes(hello.length), StandardCharsets.UTF_8),
          "echo through " + ep.getHost() + ":" + ep.getPort());
    } catch (IOException e) {
      throw new UncheckedIOException("no echo through " + ep.getHost() + ":" + ep.getPort(), e);
    }
  }

  /** OS processes of an instance (the agent starts it with FORNAX_INSTANCE_ID in its env). */
  static List<Long> processes(Instance i) {
    return processes(i.getMeta().getName());
  }

  static List<Long> processes(String instance) {
    return ItProcesses.withEnv("FORNAX_INSTANCE_ID", instance);
  }

  /** Every echo process the suite's agents started, live ones only. */
  static List<Long> allProcesses() {
    return ItProcesses.marked().stream().filter(pid -> {
      try {
        return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc",
            Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).contains("EchoApp");
      } catch (IOException e) {
        return false;
      }
    }).toList();
  }
}
