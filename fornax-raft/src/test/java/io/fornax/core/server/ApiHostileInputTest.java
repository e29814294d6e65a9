package io.fornax.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.WatchRequest;
import io.fornax.client.internal.FornaxConnection;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile or careless clients over real sockets: each gets one error frame and a closed
 * connection, and every other connection carries on. Short timeouts keep the waits brief.
 */
class ApiHostileInputTest {
  private static final Duration FRAME_TIMEOUT = Duration.ofMillis(400);
  private static final Duration IDLE_TIMEOUT = Duration.ofMillis(600);

  @TempDir Path dir;
  ApiFixture api;
  FornaxConnection bystander;

  @BeforeEach
  void start() throws InterruptedException {
    api = new ApiFixture(dir, 100, c -> c.withMaxFrameBytes(64 << 10)
        .withTimeouts(FRAME_TIMEOUT, IDLE_TIMEOUT));
    // Opened before the trouble; its watch keeps it from being closed as idle.
    bystander = api.connect(ApiFixture.ADMIN_TOKEN);
    bystander.watch(WatchRequest.newBuilder().setKind(Kind.NODE).build(), r -> { }, e -> { });
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Socket socket() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), api.server.port());
    s.setSoTimeout(10_000);
    return s;
  }

  /** Reads one response frame, then expects the server to have closed the connection. */
  private static Response errorThenClosed(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    try {
      assertEquals(-1, in.read(), "closed after the error");
    } catch (IOException reset) {
      // reset by the server: closed as well
    }
    return Response.parseFrom(frame);
  }

  /** The connection opened before the trouble, and a new one, both still work. */
  private void othersStillServed() {
    Request.Builder list = Request.newBuilder().setList(ListRequest.newBuilder()
        .setKind(Kind.TENANT));
    api.ok(bystander, list);
    api.ok(api.connect(ApiFixture.ADMIN_TOKEN), list);
  }

  @Test
  void anOversizedFrameGetsAnErrorAndOnlyItsConnectionCloses() throws IOException {
    try (Socket s = socket()) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(64 << 20);
      out.write(new byte[1024]);
      out.flush();
      Response r = errorThenClosed(s);
      assertEquals(ErrorCode.RESOURCE_EXHAUSTED, r.getError().getCode());
      assertTrue(r.getError().getMessage().endsWith("exceeds the limit of 65536 bytes"),
          r.getError().getMessage());
    }
    othersStillServed();
  }

  @Test
  void garbageGetsAnErrorAndOnlyItsConnectionCloses() throws IOException {
    byte[] junk = new byte[200];
    new SplittableRandom(7).nextBytes(junk);
    junk[0] = (byte) 0xff; // an invalid protobuf tag, whatever follows
    try (Socket s = socket()) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(junk.length);
      out.write(junk);
      out.flush();
      assertEquals(ErrorCode.INVALID_ARGUMENT, errorThenClosed(s).getError().getCode());
    }
    othersStillServed();
  }

  @Test
  void anUnfinishedFrameTimesOut() throws IOException {
    try (Socket s = socket()) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(1000);
      out.write(new byte[10]);
      out.flush();
      assertEquals(ErrorCode.TIMEOUT, errorThenClosed(s).getError().getCode());
    }
    othersStillServed();
  }

  @Test
  void theClientSeesAConnectionLevelErrorOnItsPendingCalls() throws IOException {
    FornaxConnection c = api.connect(ApiFixture.ADMIN_TOKEN);
    // A request over the frame limit: the server's id-0 error fails the pending call.
    Request huge = Request.newBuilder().setToken(ApiFixture.ADMIN_TOKEN).setList(
        ListRequest.newBuilder().setKind(Kind.TENANT).setApplication("x".repeat(70_000))).build();
    FornaxException e = assertThrows(FornaxException.class,
        () -> c.callSync(huge, ApiFixture.TIMEOUT));
    assertTrue(e.code() == ErrorCode.RESOURCE_EXHAUSTED || e.code() == ErrorCode.UNAVAILABLE,
        e.toString());
    await().atMost(ApiFixture.TIMEOUT).until(() -> !c.isOpen());
    othersStillServed();
  }

  @Test
  void idleConnectionsCloseButWatchersStay() {
    FornaxConnection idle = api.connect(ApiFixture.ADMIN_TOKEN);
    api.ok(idle, Request.newBuilder().setList(ListRequest.newBuilder().setKind(Kind.TENANT)));
    FornaxConnection watcher = api.connect(ApiFixture.ADMIN_TOKEN);
    watcher.watch(WatchRequest.newBuilder().setKind(Kind.TENANT).build(), r -> { }, e -> { });
    await().atMost(ApiFixture.TIMEOUT).until(() -> !idle.isOpen());
    await().during(IDLE_TIMEOUT.multipliedBy(2)).atMost(IDLE_TIMEOUT.multipliedBy(4))
        .until(watcher::isOpen);
  }
}
