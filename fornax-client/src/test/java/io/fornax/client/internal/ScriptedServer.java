package io.fornax.client.internal;

import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.validation.Limits;
import io.fornax.api.wire.Frames;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A stand-in for a replica's API on 127.0.0.1: records every request and answers with what the
 * test's script returns (nothing for a request to be answered later with {@link #send}).
 */
final class ScriptedServer implements AutoCloseable {
  final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
  final List<Channel> connections = new CopyOnWriteArrayList<>();
  volatile Function<Request, List<Response>> script = r -> List.of();
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel server;

  ScriptedServer() throws InterruptedException {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            connections.add(ch);
            Frames.addCodec(ch.pipeline(), Request.getDefaultInstance(), Limits.MAX_FRAME_BYTES);
            ch.pipeline().addLast(new SimpleChannelInboundHandler<Request>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, Request r) {
                received.add(r);
                script.apply(r).forEach(ctx::write);
                ctx.flush();
              }
            });
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The next request received, waiting up to 10 s. */
  Request next() throws InterruptedException {
    Request r = received.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no request within 10 s");
    }
    return r;
  }

  /** Sends on the most recent connection. */
  void send(Response... responses) {
    Channel ch = connections.get(connections.size() - 1);
    for (Response r : responses) {
      ch.write(r);
    }
    ch.flush();
  }

  void dropConnections() {
    connections.forEach(Channel::close);
  }

  static Duration timeout() {
    return Duration.ofSeconds(10);
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
