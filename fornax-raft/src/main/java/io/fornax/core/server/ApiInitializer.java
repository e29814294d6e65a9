package io.fornax.core.server;

import io.fornax.api.proto.Request;
import io.fornax.api.wire.Frames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Pipeline of one API connection: idle detection, framing (with the slow-loris deadline right
 * after the frame decoder), protobuf, then a fresh {@link ApiHandler}. Typed on {@link Channel}
 * rather than SocketChannel so codec tests can run it on an EmbeddedChannel.
 */
final class ApiInitializer extends ChannelInitializer<Channel> {
  private final RequestDispatcher dispatcher;
  private final ApiServerConfig config;

  ApiInitializer(RequestDispatcher dispatcher, ApiServerConfig config) {
    this.dispatcher = dispatcher;
    this.config = config;
  }

  @Override
  protected void initChannel(Channel ch) {
    // All-idle only: the handler closes a silent connection unless it has work or watches.
    ch.pipeline().addLast(new IdleStateHandler(0, 0, config.idleTimeout().toMillis(),
        TimeUnit.MILLISECONDS));
    Frames.addCodec(ch.pipeline(), Request.getDefaultInstance(), config.maxFrameBytes());
    ch.pipeline().addAfter(Frames.FRAME_DECODER, FrameDeadlineHandler.NAME,
        new FrameDeadlineHandler(config.frameTimeout()));
    ch.pipeline().addLast(new ApiHandler(dispatcher, config));
  }
}
