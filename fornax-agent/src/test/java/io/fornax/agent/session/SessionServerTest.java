package io.fornax.agent.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.agent.runtime.InstanceSpec;
import io.fornax.agent.runtime.ProcessRuntime;
import io.fornax.agent.runtime.RunningInstance;
import io.fornax.api.proto.ResourceSpec;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.core.config.FreePorts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session protocol against the real echo application, and against hostile peers. */
class SessionServerTest {
  @TempDir Path tmp;
  private final List<String> lost = new CopyOnWriteArrayList<>();
  private SessionServer server;
  private RunningInstance echo;

  @BeforeEach
  void start() throws Exception {
    server = new SessionServer((i, s, why) -> lost.add(i + "/" + s + ": " + why),
        Duration.ofSeconds(1)).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    if (echo != null) {
      echo.terminate(Duration.ofSeconds(2)).join();
    }
    server.close();
  }

  @Test
  void echoAppOpensASessionEchoesAndCloses() throws Exception {
    int port = FreePorts.one();
    server.register("i-echo", "secret");
    echo = new ProcessRuntime(1 << 20, null).start(new InstanceSpec("i-echo", "echo",
        RuntimeSpec.newBuilder().setCommand(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString())
            .addArgs("-cp").addArgs(System.getProperty("java.class.path"))
            .addArgs("io.fornax.examples.EchoApp").build(),
        ResourceSpec.getDefaultInstance(),
        Map.of("FORNAX_SESSION_SERVER", server.address(), "FORNAX_INSTANCE_ID", "i-echo",
            "FORNAX_SESSION_TOKEN", "secret", "FORNAX_PORT_MAIN", Integer.toString(port)),
        Map.of("main", port), tmp.resolve("echo")));
    await().atMost(Duration.ofSeconds(20)).until(() -> server.isConnected("i-echo"));
    server.open("i-echo", "s-1", "hello".getBytes(StandardCharsets.UTF_8)).get();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
      byte[] back = s.getInputStream().readNBytes(4);
      assertArrayEquals("ping".getBytes(StandardCharsets.UTF_8), back);
    }
    server.close("i-echo", "s-1", Duration.ofSeconds(5)).get();
    assertTrue(lost.isEmpty(), lost.toString());
  }

  /** A raw instance connection speaking the protocol by hand. */
  private static final class Peer implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final OutputStream out;

    Peer(String address) throws Exception {
      String[] hp = address.split(":");
      socket = new Socket(hp[0], Integer.parseInt(hp[1]));
      socket.setSoTimeout(10_000);
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
    }

    void send(String line) throws Exception {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }

  @Test
  void wrongInstanceOrTokenIsRefusedAndChangesNothing() throws Exception {
    server.register("i-1", "right");
    try (Peer p = new Peer(server.address())) {
      p.send("{\"type\":\"hello\",\"instance\":\"i-1\",\"token\":\"wrong\"}");
      assertTrue(SessionMessage.parse(p.in.readLine()).message.contains("hello"));
      assertNull(p.in.readLine(), "closed after the error");
    }
    try (Peer p = new Peer(server.address())) {
      p.send("{\"type\":\"hello\",\"instance\":\"i-2\",\"token\":\"right\"}");
      assertEquals("error", SessionMessage.parse(p.in.readLine()).type);
    }
    assertTrue(!server.isConnected("i-1") && !server.isConnected("i-2"));
  }

  @Test
  void garbageAndOversizedLinesAreRefused() throws Exception {
    try (Peer p = new Peer(server.address())) {
      p.send("this is not json");
      assertTrue(SessionMessage.parse(p.in.readLine()).message.startsWith("malformed message"));
    }
    try (Peer p = new Peer(server.address())) {
      p.send("x".repeat(SessionServer.MAX_LINE + 10));
      assertTrue(SessionMessage.parse(p.in.readLine()).message.contains("longer than"));
    }
  }

  @Test
  void missingHeartbeatsLoseTheSessionsWithAReason() throws Exception {
    server.register("i-quiet", "t");
    try (Peer p = new Peer(server.address())) {
      p.send("{\"type\":\"hello\",\"instance\":\"i-quiet\",\"token\":\"t\"}");
      await().atMost(Duration.ofSeconds(5)).until(() -> server.isConnected("i-quiet"));
      var opened = server.open("i-quiet", "s-9", new byte[0]);
      assertEquals("open", SessionMessage.parse(p.in.readLine()).type);
      p.send("{\"type\":\"ready\",\"session\":\"s-9\"}");
      opened.get();
      await().atMost(Duration.ofSeconds(10)).until(() -> !lost.isEmpty());
      assertEquals("i-quiet/s-9: instance stopped heartbeating for 1s", lost.get(0));
    }
  }

  @Test
  void aRestartedServerKeepsItsPortAndTheSdkReconnectsToIt() throws Exception {
    Path portFile = tmp.resolve("session-server.port");
    SessionServer before = new SessionServer((i, s, why) -> lost.add(i + "/" + s + ": " + why),
        Duration.ofSeconds(1)).start("127.0.0.1", 0, portFile);
    before.register("i-1", "secret");
    io.fornax.sdk.FornaxSession sdk = io.fornax.sdk.FornaxSession.connect(before.address(), "i-1",
        "secret", (session, data) -> { }, Duration.ofMillis(200));
    SessionServer after = null;
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> before.isConnected("i-1"));
      String address = before.address();
      before.close(); // the agent dies
      after = new SessionServer((i, s, why) -> lost.add(i + "/" + s + ": " + why),
          Duration.ofSeconds(1));
      after.register("i-1", "secret");
      after.awaitReconnect("i-1", java.util.Set.of("s-1"));
      after.register("i-2", "other");
      after.awaitReconnect("i-2", java.util.Set.of("s-2"));
      after.start("127.0.0.1", 0, portFile);
      assertEquals(address, after.address(), "same port as the previous run");
      SessionServer restarted = after;
      await("the SDK reconnects").atMost(Duration.ofSeconds(10)).until(() -> restarted.isConnected("i-1"));
      await("an instance that never comes back loses its sessions").atMost(Duration.ofSeconds(10))
          .until(() -> lost.stream().anyMatch(l -> l.startsWith("i-2/s-2: instance did not reconnect")));
      assertTrue(lost.stream().noneMatch(l -> l.startsWith("i-1/")), String.valueOf(lost));
    } finally {
      sdk.close();
      if (after != null) {
        after.close();
      }
    }
  }
}
