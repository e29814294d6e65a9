package io.fornax.agent.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.validation.Limits;
import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.NodeAssignment;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.wire.Frames;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A leader that accepts a connect at once (an empty answer) but needs longer than the 3 s
 * assignment deadline to commit the node's registration, as after a restart with every node
 * coming back: the node waits for its assignment instead of dropping the stream and starting
 * over (which, for a thousand nodes, kept the leader busy with connects that never finished).
 */
class AgentStreamAcceptedTest {
  @Test
  void anAcceptedConnectWaitsPastTheAssignmentDeadline() throws Exception {
    NioEventLoopGroup group = new NioEventLoopGroup(1);
    ScheduledExecutorService owner = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger connects = new AtomicInteger();
    try {
      Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              Frames.addCodec(ch.pipeline(), Request.getDefaultInstance(), Limits.MAX_FRAME_BYTES);
              ch.pipeline().addLast(new SimpleChannelInboundHandler<Request>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, Request r) {
                  if (!r.hasAgentConnect()) {
                    return;
                  }
                  connects.incrementAndGet();
                  ctx.writeAndFlush(Response.newBuilder().setId(r.getId()).build());
                  ctx.executor().schedule(() -> ctx.writeAndFlush(Response.newBuilder()
                      .setId(r.getId()).setAssignment(NodeAssignment.getDefaultInstance())
                      .build()), 4_500, TimeUnit.MILLISECONDS);
                }
              });
            }
          })
          .bind("127.0.0.1", 0).sync().channel();
      int port = ((InetSocketAddress) server.localAddress()).getPort();
      AgentStream stream = new AgentStream("n1", List.of("127.0.0.1:" + port), "token",
          AgentConnectRequest::getDefaultInstance, a -> { }, owner::execute, null);
      owner.scheduleWithFixedDelay(stream::tick, 0, 100, TimeUnit.MILLISECONDS);
      await("assigned").atMost(Duration.ofSeconds(15))
          .until(() -> owner.submit(stream::connected).get());
      assertEquals(1, connects.get(), "one connect, kept past the 3 s deadline");
      owner.submit(stream::close).get(10, TimeUnit.SECONDS);
      server.close().sync();
    } finally {
      owner.shutdownNow();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
