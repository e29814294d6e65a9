package io.fornax.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.GetRequest;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.Tenant;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection pipeline ({@link ApiInitializer}) on an EmbeddedChannel: framing limits,
 * malformed input, the slow-loris deadline, per-connection limits, and how failures map to
 * responses. Time is advanced by hand; nothing sleeps.
 */
class ApiCodecTest {
  private static final String ADMIN = "admin.codec-test";
  private static final Duration FRAME_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;
  InMemoryCoreBackend real;
  ScriptedBackend backend;

  @BeforeEach
  void setUp() {
    real = new InMemoryCoreBackend(dir, 100);
    backend = new ScriptedBackend(real);
  }

  @AfterEach
  void tearDown() {
    real.close();
  }

  private EmbeddedChannel channel(UnaryOperator<ApiServerConfig> tweak) {
    ApiServerConfig config = tweak.apply(ApiServerConfig.loopback(Tokens.sha256Hex(ADMIN))
        .withTimeouts(FRAME_TIMEOUT, Duration.ofMinutes(5)));
    RequestDispatcher dispatcher = new RequestDispatcher(backend,
        new Authenticator(config.adminTokenHash(), backend), NodeHeartbeats.NOT_LEADER,
        ApiServer.notLeader(backend));
    EmbeddedChannel ch = new EmbeddedChannel(new ApiInitializer(dispatcher, config));
    ch.freezeTime();
    return ch;
  }

  private EmbeddedChannel channel() {
    return channel(c -> c);
  }

  private static ByteBuf frame(byte[] payload) {
    return Unpooled.buffer().writeInt(payload.length).writeBytes(payload);
  }

  private static ByteBuf frame(Request.Builder r) {
    return frame(r.setToken(ADMIN).build().toByteArray());
  }

  /** Every response written so far, decoded from the outbound bytes. */
  private static List<Response> responses(EmbeddedChannel ch) throws Exception {
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      all.writeBytes(b);
      b.release();
    }
    List<Response> out = new ArrayList<>();
    while (all.readableBytes() >= 4) {
      byte[] body = new byte[all.readInt()];
      all.readBytes(body);
      out.add(Response.parseFrom(body));
    }
    assertEquals(0, all.readableBytes(), "whole frames only");
    return out;
  }

  private static Request.Builder listTenants(long id) {
    return Request.newBuilder().setId(id).setList(ListRequest.newBuilder().setKind(Kind.TENANT));
  }

  @Test
  void aWellFormedRequestIsAnswered() throws Exception {
    EmbeddedChannel ch = channel();
    ch.writeInbound(frame(listTenants(7)));
    List<Response> out = responses(ch);
    assertEquals(1, out.size());
    assertEquals(7, out.get(0).getId());
    assertEquals(ErrorCode.OK, out.get(0).getError().getCode());
    assertTrue(ch.isOpen());
  }

  @Test
  void anOversizedFrameIsRefusedAndClosesTheConnection() throws Exception {
    EmbeddedChannel ch = channel(c -> c.withMaxFrameBytes(1024));
    ch.writeInbound(Unpooled.buffer().writeInt(64 << 20).writeBytes(new byte[100]));
    List<Response> out = responses(ch);
    assertEquals(1, out.size());
    assertEquals(0, out.get(0).getId(), "a connection-level error");
    assertEquals(ErrorCode.RESOURCE_EXHAUSTED, out.get(0).getError().getCode());
    assertEquals("frame of " + ((64 << 20) + 4) + " bytes exceeds the limit of 1024 bytes",
        out.get(0).getError().getMessage());
    assertFalse(ch.isOpen());
  }

  @Test
  void garbageIsRefusedOnceAndClosesTheConnection() throws Exception {
    EmbeddedChannel ch = channel();
    byte[] junk = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
    ByteBuf in = frame(junk);
    in.writeBytes(frame(junk)).writeBytes(frame(listTenants(3))); // never answered
    ch.writeInbound(in);
    List<Response> out = responses(ch);
    assertEquals(1, out.size(), out.toString());
    assertEquals(ErrorCode.INVALID_ARGUMENT, out.get(0).getError().getCode());
    assertTrue(out.get(0).getError().getMessage().startsWith("malformed frame"),
        out.get(0).getError().getMessage());
    assertFalse(ch.isOpen());
  }

  @Test
  void aFrameTrickledInTooSlowlyTimesOut() throws Exception {
    EmbeddedChannel ch = channel();
    byte[] request = listTenants(1).setToken(ADMIN).build().toByteArray();
    ch.writeInbound(Unpooled.buffer().writeInt(request.length).writeByte(request[0]));
    // A byte every 10 s keeps any reader-idle timer happy; the frame deadline is not reset.
    for (int i = 1; i <= 3; i++) {
      ch.advanceTimeBy(10, TimeUnit.SECONDS);
      ch.runScheduledPendingTasks();
      if (ch.isOpen()) {
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {request[i]}));
      }
    }
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    List<Response> out = responses(ch);
    assertEquals(1, out.size(), out.toString());
    assertEquals(ErrorCode.TIMEOUT, out.get(0).getError().getCode());
    assertFalse(ch.isOpen());
  }

  @Test
  void aConnectionThatNeverSpeaksIsClosed() throws Exception {
    EmbeddedChannel ch = channel();
    ch.advanceTimeBy(FRAME_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertEquals(ErrorCode.TIMEOUT, responses(ch).get(0).getError().getCode());
    assertFalse(ch.isOpen());
  }

  @Test
  void steadyPipelinedTrafficIsNotMistakenForASlowLoris() throws Exception {
    EmbeddedChannel ch = channel();
    byte[] one = frameBytes(listTenants(1));
    // Each read ends halfway into the next frame, but frames keep completing.
    ch.writeInbound(Unpooled.wrappedBuffer(one, 0, one.length / 2));
    for (int i = 0; i < 4; i++) {
      ch.advanceTimeBy(20, TimeUnit.SECONDS);
      ch.runScheduledPendingTasks();
      ByteBuf next = Unpooled.buffer().writeBytes(one, one.length / 2, one.length - one.length / 2)
          .writeBytes(one, 0, one.length / 2);
      ch.writeInbound(next);
    }
    assertTrue(ch.isOpen());
    assertEquals(4, responses(ch).size());
  }

  private static byte[] frameBytes(Request.Builder r) {
    ByteBuf b = frame(r);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  @Test
  void requestsInFlightPerConnectionAreBounded() throws Exception {
    CompletableFuture<Void> barrier = new CompletableFuture<>();
    backend.readBarrier = () -> barrier;
    EmbeddedChannel ch = channel(c -> c.withConnectionLimits(2, 4));
    for (long id = 1; id <= 3; id++) {
      ch.writeInbound(frame(listTenants(id)));
    }
    List<Response> out = responses(ch);
    assertEquals(1, out.size());
    assertEquals(3, out.get(0).getId());
    assertEquals("too many requests in flight on this connection (limit 2)",
        out.get(0).getError().getMessage());
    barrier.complete(null);
    ch.runPendingTasks();
    assertEquals(2, responses(ch).size());
    assertTrue(ch.isOpen());
  }

  @Test
  void failuresMapToErrorResponses() throws Exception {
    EmbeddedChannel ch = channel();
    Request.Builder create = Request.newBuilder().setCreateTenant(CreateTenantRequest
        .newBuilder().setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder()
            .setName("acme"))));
    backend.submit = c -> CompletableFuture.failedFuture(new CompletionException(
        new FornaxException(ErrorCode.UNAVAILABLE, "no quorum")));
    ch.writeInbound(frame(create.setId(5)));
    backend.submit = c -> CompletableFuture.failedFuture(new IllegalStateException("boom"));
    ch.writeInbound(frame(create.setId(6)));
    backend.submit = c -> CompletableFuture.completedFuture(CommandResult.newBuilder()
        .setError(new FornaxException(ErrorCode.FENCED, "stale term").toProto()).build());
    ch.writeInbound(frame(create.setId(7)));
    List<Response> out = responses(ch);
    assertEquals(List.of(5L, 6L, 7L), out.stream().map(Response::getId).toList());
    assertEquals(ErrorCode.UNAVAILABLE, out.get(0).getError().getCode());
    assertEquals("no quorum", out.get(0).getError().getMessage(), "unwrapped, unchanged");
    assertEquals(ErrorCode.INTERNAL, out.get(1).getError().getCode());
    assertFalse(out.get(1).getError().getMessage().contains("boom"), "internals stay inside");
    assertEquals(ErrorCode.FENCED, out.get(2).getError().getCode());
    assertEquals("stale term", out.get(2).getError().getMessage());
    assertTrue(ch.isOpen());
  }

  @Test
  void aResponseTooLargeForAFrameBecomesAnError() throws Exception {
    EmbeddedChannel ch = channel(c -> c.withMaxFrameBytes(200));
    for (int i = 0; i < 30; i++) {
      real.submit(Command.newBuilder().setCaller(io.fornax.api.proto.Caller.newBuilder()
          .setAdmin(true)).setCreateTenant(io.fornax.api.proto.CreateTenantCmd.newBuilder()
          .setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName("t" + i))))
          .build());
    }
    ch.writeInbound(frame(listTenants(9)));
    Response r = responses(ch).get(0);
    assertEquals(ErrorCode.RESOURCE_EXHAUSTED, r.getError().getCode());
    assertEquals(9, r.getId());
    ch.writeInbound(frame(Request.newBuilder().setId(10).setGet(GetRequest.newBuilder()
        .setKind(Kind.TENANT).setName("t1"))));
    assertEquals(ErrorCode.OK, responses(ch).get(0).getError().getCode(), "small ones still fit");
  }
}
