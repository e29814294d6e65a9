package io.fornax.core.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per connection (it counts the connection's requests in flight and owns its watches):
 * hands each request to the dispatcher without blocking the event loop, and turns a corrupt
 * frame into one error response and a closed connection (only this one).
 */
final class ApiHandler extends SimpleChannelInboundHandler<Request> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  /** Set once a connection is being closed for a protocol error: one error response is enough. */
  private static final AttributeKey<Boolean> FAILED = AttributeKey.valueOf("fornax.failed");
  /** Netty's message: "Adjusted frame length exceeds <max>: <length> - discarded". */
  private static final Pattern TOO_LONG = Pattern.compile("exceeds (\\d+): (\\d+)");

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
    if (Boolean.TRUE.equals(ctx.channel().attr(FAILED).get())) {
      return; // decoded from the same read as a bad frame: the connection is going away
    }
    if (inFlight.incrementAndGet() > config.maxInFlightPerConnection()) {
      inFlight.decrementAndGet();
      ctx.writeAndFlush(Responses.error(request.getId(), ErrorCode.RESOURCE_EXHAUSTED,
          "too many requests in flight on this connection (limit "
              + config.maxInFlightPerConnection() + ")"));
      return;
    }
    // Completes on whichever thread finished the work; writeAndFlush is thread-safe.
    dispatcher.handle(request, watches).whenComplete((response, e) -> {
      inFlight.decrementAndGet();
      if (response != null) {
        ctx.writeAndFlush(fitToFrame(response));
      }
    });
  }

  /** A response the client could not decode would cost it the connection: send an error. */
  private Response fitToFrame(Response response) {
    int size = response.getSerializedSize() + 4;
    if (size <= config.maxFrameBytes()) {
      return response;
    }
    return Responses.error(response.getId(), ErrorCode.RESOURCE_EXHAUSTED, "response of " + size
        + " bytes exceeds the frame limit of " + config.maxFrameBytes()
        + " bytes; narrow the request (tenant, label selector, application)");
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (watches != null) {
      watches.closeAll();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      // A watcher or a slow request is not idle, however quiet the socket is.
      if ((watches == null || watches.isEmpty()) && inFlight.get() == 0) {
        LOG.debug("closing idle connection {}", ctx.channel().remoteAddress());
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause instanceof DecoderException && cause.getCause() != null
        ? cause.getCause() : cause;
    if (root instanceof TooLongFrameException) {
      failConnection(ctx.channel(), ErrorCode.RESOURCE_EXHAUSTED, tooLong(root.getMessage()));
    } else if (root instanceof InvalidProtocolBufferException) {
      failConnection(ctx.channel(), ErrorCode.INVALID_ARGUMENT,
          "malformed frame: not a Fornax request (" + root.getMessage() + ")");
    } else if (cause instanceof DecoderException) {
      failConnection(ctx.channel(), ErrorCode.INVALID_ARGUMENT, "malformed frame: " + root);
    } else if (cause instanceof IOException) {
      LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close(); // reset by the peer: nobody to tell
    } else {
      LOG.warn("closing connection {} after an unexpected error", ctx.channel().remoteAddress(),
          cause);
      failConnection(ctx.channel(), ErrorCode.INTERNAL, "internal error; closing the connection");
    }
  }

  private String tooLong(String nettyMessage) {
    Matcher m = TOO_LONG.matcher(String.valueOf(nettyMessage));
    String length = m.find() ? m.group(2) + " bytes" : "unknown length";
    return "frame of " + length + " exceeds the limit of " + config.maxFrameBytes() + " bytes";
  }

  /**
   * Sends one connection-level error (response id 0) and closes the connection. Later calls on
   * the same connection do nothing, so a burst of bad frames yields one answer.
   */
  static void failConnection(Channel channel, ErrorCode code, String message) {
    if (channel.attr(FAILED).setIfAbsent(Boolean.TRUE) != null) {
      return;
    }
    channel.config().setAutoRead(false);
    LOG.debug("closing connection {}: {} {}", channel.remoteAddress(), code, message);
    if (!channel.isActive()) {
      channel.close();
      return;
    }
    channel.writeAndFlush(Responses.error(0, code, message))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
