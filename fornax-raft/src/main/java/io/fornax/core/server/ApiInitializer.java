package io.fornax.core.server;

import io.fornax.api.proto.Request;
import io.fornax.api.wire.Frames;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Pipeline of one API connection: timeouts, framing, protobuf, then the request handler. */
final class ApiInitializer extends ChannelInitializer<SocketChannel> {
  private final RequestDispatcher dispatcher;
  private final ApiServerConfig config;

  ApiInitializer(RequestDispatcher dispatcher, ApiServerConfig config) {
    this.dispatcher = dispatcher;
    this.config = config;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    // Reader-idle catches a frame begun and never finished; all-idle closes silent connections.
    ch.pipeline().addLast(new IdleStateHandler(config.frameTimeout().toMillis(), 0,
        config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    Frames.addCodec(ch.pipeline(), Request.getDefaultInstance(), config.maxFrameBytes());
    ch.pipeline().addLast(new ApiHandler(dispatcher, config));
  }
}
