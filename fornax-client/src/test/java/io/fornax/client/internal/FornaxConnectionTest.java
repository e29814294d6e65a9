package io.fornax.client.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.ClusterStatusRequest;
import io.fornax.api.proto.Error;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.WatchEvent;
import io.fornax.api.proto.WatchRequest;
import io.fornax.api.proto.WatchStarted;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The low-level connection against a scripted server on 127.0.0.1. */
class FornaxConnectionTest {
  private static final Request STATUS = Request.newBuilder()
      .setClusterStatus(ClusterStatusRequest.getDefaultInstance()).build();

  ScriptedServer server;
  FornaxConnection conn;

  @BeforeEach
  void start() throws InterruptedException {
    server = new ScriptedServer();
    conn = FornaxConnection.connect("127.0.0.1", server.port(), "acme.secret",
        Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    conn.close();
    server.close();
  }

  private static Response answer(Request r) {
    return Response.newBuilder().setId(r.getId()).setRevision(r.getId() * 10).build();
  }

  private static Response error(long id, ErrorCode code, String message) {
    return Response.newBuilder().setId(id)
        .setError(Error.newBuilder().setCode(code).setMessage(message)).build();
  }

  private static FornaxException failure(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(FornaxException.class, e.getCause());
  }

  @Test
  void callsGetFreshIdsAndTheConnectionsToken() throws Exception {
    server.script = r -> List.of(answer(r));
    Response first = conn.callSync(STATUS, ScriptedServer.timeout());
    Response second = conn.callSync(STATUS.toBuilder().setToken("other.token").build(),
        ScriptedServer.timeout());
    Request r1 = server.next();
    Request r2 = server.next();
    assertNotEquals(r1.getId(), r2.getId());
    assertTrue(r1.getId() > 0, "0 is reserved for connection-level errors");
    assertEquals("acme.secret", r1.getToken());
    assertEquals("other.token", r2.getToken(), "a request's own token is kept");
    assertEquals(r1.getId() * 10, first.getRevision());
    assertEquals(r2.getId() * 10, second.getRevision());
  }

  @Test
  void errorResponsesAreResponsesNotExceptions() {
    server.script = r -> List.of(error(r.getId(), ErrorCode.NOT_FOUND, "nope"));
    Response r = conn.callSync(STATUS, ScriptedServer.timeout());
    assertEquals(ErrorCode.NOT_FOUND, r.getError().getCode());
    assertTrue(conn.isOpen());
  }

  @Test
  void responsesInAnyOrderCompleteTheirOwnCalls() throws Exception {
    CompletableFuture<Response> a = conn.call(STATUS);
    CompletableFuture<Response> b = conn.call(STATUS);
    Request ra = server.next();
    Request rb = server.next();
    server.send(answer(rb), answer(ra));
    assertEquals(ra.getId() * 10, a.get(10, TimeUnit.SECONDS).getRevision());
    assertEquals(rb.getId() * 10, b.get(10, TimeUnit.SECONDS).getRevision());
  }

  @Test
  void aConnectionLevelErrorFailsEveryPendingCall() throws Exception {
    CompletableFuture<Response> a = conn.call(STATUS);
    CompletableFuture<Response> b = conn.call(STATUS);
    server.next();
    server.next();
    server.send(error(0, ErrorCode.INVALID_ARGUMENT, "malformed frame: x"));
    assertEquals(ErrorCode.INVALID_ARGUMENT, failure(a).code());
    assertEquals("malformed frame: x", failure(b).getMessage());
  }

  @Test
  void aDroppedConnectionFailsCallsAndStreamsWithUnavailable() throws Exception {
    CompletableFuture<Response> pending = conn.call(STATUS);
    AtomicReference<Throwable> closed = new AtomicReference<>();
    conn.watch(WatchRequest.newBuilder().setKind(Kind.APPLICATION).build(), r -> { },
        closed::set);
    server.next();
    server.next();
    server.dropConnections();
    FornaxException e = failure(pending);
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertEquals("connection to 127.0.0.1:" + server.port() + " closed", e.getMessage());
    await().atMost(ScriptedServer.timeout()).until(() -> closed.get() != null);
    assertFalse(conn.isOpen());
    assertEquals(ErrorCode.UNAVAILABLE, failure(conn.call(STATUS)).code());
  }

  @Test
  void aWatchStreamsItsResponsesUntilCancelled() throws Exception {
    List<Response> seen = new CopyOnWriteArrayList<>();
    WatchStream w = conn.watch(WatchRequest.newBuilder().setKind(Kind.APPLICATION).build(),
        seen::add, e -> { });
    Request start = server.next();
    assertEquals(w.id(), start.getId());
    Response started = Response.newBuilder().setId(w.id())
        .setWatchStarted(WatchStarted.newBuilder().setRevision(4)).build();
    Response event = Response.newBuilder().setId(w.id()).setRevision(5)
        .setEvent(WatchEvent.newBuilder().setRevision(5)).build();
    server.send(started, event, event.toBuilder().setId(w.id() + 100).build());
    await().atMost(ScriptedServer.timeout()).until(() -> seen.size() >= 2);

    w.cancel();
    Request cancel = server.next();
    assertEquals(w.id(), cancel.getCancelWatch().getWatchId());
    assertEquals("acme.secret", cancel.getToken());
    server.send(event); // in flight when the cancel was sent: dropped
    // Responses arrive in order: once a later call is answered, the event has been handled.
    server.script = r -> List.of(answer(r));
    conn.callSync(STATUS, ScriptedServer.timeout());
    assertEquals(List.of(started, event), seen, "the stray id and the late event are dropped");
    assertTrue(w.isDone());
  }

  @Test
  void anErrorEndsAWatch() {
    List<Response> seen = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> closed = new AtomicReference<>();
    server.script = r -> List.of(error(r.getId(), ErrorCode.COMPACTED, "too old"));
    WatchStream w = conn.watch(WatchRequest.newBuilder().setKind(Kind.APPLICATION)
        .setFromRevision(1).build(), seen::add, closed::set);
    await().atMost(ScriptedServer.timeout()).until(w::isDone);
    assertEquals(ErrorCode.COMPACTED, seen.get(0).getError().getCode());
    conn.close();
    assertEquals(null, closed.get(), "ended by the error, not by the close");
  }

  @Test
  void callSyncGivesUpAfterItsTimeout() {
    FornaxException e = assertThrows(FornaxException.class,
        () -> conn.callSync(STATUS, Duration.ofMillis(100)));
    assertEquals(ErrorCode.TIMEOUT, e.code());
    assertTrue(conn.isOpen(), "a slow answer is no reason to drop the connection");
  }

  @Test
  void connectingToNothingIsUnavailable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    int closedPort = port;
    FornaxException e = assertThrows(FornaxException.class, () -> FornaxConnection.connect(
        "127.0.0.1", closedPort, null, Duration.ofSeconds(2)));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertThrows(IllegalArgumentException.class, () -> FornaxConnection.connect("127.0.0.1",
        server.port(), null, Duration.ZERO));
  }

  @Test
  void connectingAsynchronouslyDoesNotBlockTheCaller() throws Exception {
    server.script = r -> List.of(answer(r));
    try (FornaxConnection c = FornaxConnection.connectAsync("127.0.0.1", server.port(), "t",
        Duration.ofSeconds(5), null).get(10, TimeUnit.SECONDS)) {
      assertEquals("", c.callSync(STATUS, ScriptedServer.timeout()).getError().getMessage());
      assertEquals("t", server.next().getToken());
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    java.util.concurrent.CompletableFuture<FornaxConnection> refused =
        FornaxConnection.connectAsync("127.0.0.1", port, null, Duration.ofSeconds(2), null);
    java.util.concurrent.ExecutionException e = assertThrows(
        java.util.concurrent.ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
    assertEquals(ErrorCode.UNAVAILABLE, ((FornaxException) e.getCause()).code());
  }

  @Test
  void aSharedEventLoopOutlivesItsConnections() throws Exception {
    NioEventLoopGroup group = new NioEventLoopGroup(1);
    try {
      server.script = r -> List.of(answer(r));
      for (int i = 0; i < 2; i++) {
        try (FornaxConnection c = FornaxConnection.connect("127.0.0.1", server.port(), null,
            Duration.ofSeconds(5), group)) {
          assertEquals("", c.callSync(STATUS, ScriptedServer.timeout()).getError().getMessage());
          assertEquals("", server.next().getToken(), "no token given, none sent");
        }
      }
      assertFalse(group.isShuttingDown());
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
