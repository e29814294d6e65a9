package io.fornax.core.server;

import io.fornax.api.proto.ErrorCode;
import io.fornax.api.wire.Frames;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Slow-loris defence. Sits right after the frame decoder and closes the connection (with one
 * TIMEOUT error) when a frame takes longer than the frame timeout to arrive whole, counted from
 * the frame's first byte, or when a new connection sends no complete frame within that time. A
 * reader-idle timer would not do: a peer trickling one byte every few seconds keeps it reset
 * forever while holding a connection and a partly filled buffer.
 *
 * <p>Runs on the channel's event loop only, so it needs no locking.
 */
final class FrameDeadlineHandler extends ChannelInboundHandlerAdapter {
  static final String NAME = "frame-deadline";

  private final Duration timeout;
  private ScheduledFuture<?> deadline;
  /** Whether a whole frame came out of the decoder since the deadline was armed. */
  private boolean progressed;

  FrameDeadlineHandler(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    arm(ctx, "no request received"); // the handshake: a new connection must speak in time
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object frame) throws Exception {
    progressed = true;
    super.channelRead(ctx, frame);
  }

  /** After each socket read: a frame left unfinished starts (or keeps) the clock. */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    Frames.FrameDecoder decoder = ctx.pipeline().get(Frames.FrameDecoder.class);
    boolean partial = decoder != null && decoder.hasPartialFrame();
    if (!partial) {
      cancel();
    } else if (deadline == null || progressed) {
      // A frame completed since the clock started: the unfinished one is new, time it afresh.
      cancel();
      arm(ctx, "frame not completed");
    }
    progressed = false;
    super.channelReadComplete(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  private void arm(ChannelHandlerContext ctx, String what) {
    progressed = false;
    deadline = ctx.executor().schedule(() -> {
      deadline = null;
      ApiHandler.failConnection(ctx.channel(), ErrorCode.TIMEOUT,
          what + " within " + timeout.toMillis() + " ms; closing the connection");
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
