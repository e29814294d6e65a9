package io.fornax.agent.ingress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.core.config.FreePorts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IngressTest {
  private ServerSocket echo;
  private Thread echoThread;
  private Ingress ingress;
  private int base;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    echoThread = new Thread(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread t = new Thread(() -> {
            try (s) {
              s.getInputStream().transferTo(s.getOutputStream());
            } catch (IOException e) {
              // peer left
            }
          });
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    echoThread.setDaemon(true);
    echoThread.start();
    base = FreePorts.range(21);
    ingress = new Ingress("127.0.0.1", base, base + 20);
  }

  @AfterEach
  void stop() throws IOException {
    ingress.close();
    echo.close();
  }

  @Test
  void aClientThatFinishedSendingStillGetsTheAnswer() throws Exception {
    // What `echo hi | nc -N host port` does: send, half-close, read the reply until EOF.
    int port = ingress.open("s-half", "127.0.0.1", echo.getLocalPort());
    byte[] payload = new byte[64 << 10];
    new Random(2).nextBytes(payload);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.getOutputStream().write(payload);
      s.shutdownOutput();
      assertArrayEquals(payload, s.getInputStream().readAllBytes(),
          "every byte comes back, then EOF once the instance closed its side");
    }
  }

  @Test
  void bytesGoThroughAndComeBack() throws Exception {
    int port = ingress.open("s-1", "127.0.0.1", echo.getLocalPort());
    assertTrue(port >= base && port <= base + 20);
    byte[] payload = new byte[256 << 10];
    new Random(1).nextBytes(payload);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      Thread writer = new Thread(() -> {
        try {
          s.getOutputStream().write(payload);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      writer.start();
      assertArrayEquals(payload, s.getInputStream().readNBytes(payload.length));
      writer.join();
    }
    assertEquals(port, ingress.open("s-1", "127.0.0.1", echo.getLocalPort()), "idempotent");
  }

  @Test
  void forwardsToAUnixSocketWithHalfClose(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Ingress.unixTargets(), "no native epoll here");
    var address = java.net.UnixDomainSocketAddress.of(tmp.resolve("echo.sock"));
    try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      server.bind(address);
      Thread t = new Thread(() -> {
        try (var c = server.accept()) {
          java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8192);
          while (c.read(buf) >= 0) {
            buf.flip();
            while (buf.hasRemaining()) {
              c.write(buf);
            }
            buf.clear();
          }
        } catch (IOException e) {
          // peer left
        }
      });
      t.setDaemon(true);
      t.start();
      int port = ingress.open("s-unix", address);
      byte[] payload = new byte[64 << 10];
      new Random(3).nextBytes(payload);
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.getOutputStream().write(payload);
        s.shutdownOutput();
        assertArrayEquals(payload, s.getInputStream().readAllBytes());
      }
    }
  }

  @Test
  void closedSessionPortRefusesAndCutsLiveConnections() throws Exception {
    int port = ingress.open("s-2", "127.0.0.1", echo.getLocalPort());
    try (Socket live = new Socket(InetAddress.getLoopbackAddress(), port)) {
      live.getOutputStream().write("x".getBytes(StandardCharsets.UTF_8));
      assertEquals('x', live.getInputStream().read());
      ingress.close("s-2");
      assertEquals(-1, live.getInputStream().read(), "live connection cut");
    }
    assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port));
    assertEquals(0, ingress.openRoutes());
  }

  @Test
  void exhaustedRangeIsAClearError() throws Exception {
    Ingress tiny = new Ingress("127.0.0.1", base + 30, base + 30);
    try {
      tiny.open("a", "127.0.0.1", echo.getLocalPort());
      IOException e = assertThrows(IOException.class, () -> tiny.open("b", "127.0.0.1", 1));
      assertTrue(e.getMessage().startsWith("no free ingress port"));
    } finally {
      tiny.close();
    }
  }
}
