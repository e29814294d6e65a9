package io.fornax.core.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fornax.api.proto.Error;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.wire.Frames;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per connection: hands each request to the dispatcher without blocking the event loop,
 * bounds requests in flight, and turns a corrupt frame into one error frame and a closed
 * connection (only this one).
 */
final class ApiHandler extends SimpleChannelInboundHandler<Request> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  private final RequestDispatcher dispatcher;
  private final ApiServerConfig config;
  private final AtomicInteger inFlight = new AtomicInteger();
  private ConnectionWatches watches;

  ApiHandler(RequestDispatcher dispatcher, ApiServerConfig config) {
    this.dispatcher = dispatcher;
    this.config = config;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    watches = new ConnectionWatches(ctx.channel(), config.maxWatchesPerConnection());
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Request request) {
    if (inFlight.incrementAndGet() > config.maxInFlightPerConnection()) {
      inFlight.decrementAndGet();
      ctx.writeAndFlush(RequestDispatcher.error(request.getId(), ErrorCode.RESOURCE_EXHAUSTED,
          "too many requests in flight on this connection (limit "
              + config.maxInFlightPerConnection() + ")"));
      return;
    }
    dispatcher.handle(request, watches).whenComplete((response, e) -> {
      inFlight.decrementAndGet();
      if (response != null) {
        ctx.writeAndFlush(response);
      }
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    watches.closeAll();
    super.channelInactive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent idle) {
      Frames.FrameDecoder decoder = ctx.pipeline().get(Frames.FrameDecoder.class);
      if (idle.state() == IdleState.READER_IDLE && decoder != null && decoder.hasPartialFrame()) {
        fail(ctx, ErrorCode.TIMEOUT, "incomplete frame: nothing received for "
            + config.frameTimeout().toSeconds() + "s");
      } else if (idle.state() == IdleState.ALL_IDLE && watches.isEmpty() && inFlight.get() == 0) {
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause.getCause() != null ? cause.getCause() : cause;
    if (cause instanceof TooLongFrameException || root instanceof TooLongFrameException) {
      fail(ctx, ErrorCode.RESOURCE_EXHAUSTED, "frame exceeds the limit of "
          + config.maxFrameBytes() + " bytes: " + root.getMessage());
    } else if (root instanceof InvalidProtocolBufferException) {
      fail(ctx, ErrorCode.INVALID_ARGUMENT, "malformed frame: not a Fornax request");
    } else if (root instanceof IOException) {
      ctx.close(); // peer reset: nothing to tell it
    } else {
      LOG.warn("closing connection {} after unexpected error", ctx.channel().remoteAddress(), cause);
      fail(ctx, ErrorCode.INTERNAL, "internal error: " + root);
    }
  }

  private static void fail(ChannelHandlerContext ctx, ErrorCode code, String message) {
    if (!ctx.channel().isActive()) {
      return;
    }
    Response r = Response.newBuilder()
        .setError(Error.newBuilder().setCode(code).setMessage(message)).build();
    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
  }
}
