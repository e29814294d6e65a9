package io.fornax.core.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Fornax API on one replica: Netty server bootstrap (see {@link ApiInitializer}). */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final CoreBackend backend;
  private final ApiServerConfig config;
  private final EventLoopGroup boss = new NioEventLoopGroup(1);
  private final EventLoopGroup workers = new NioEventLoopGroup(2);
  private Channel channel;

  private final NodeHeartbeats heartbeats;
  private final AgentStreams agents;

  /** An API server with no leader duties (tests of the API alone). */
  public ApiServer(CoreBackend backend, ApiServerConfig config) {
    this(backend, config, NodeHeartbeats.NOT_LEADER, new AgentStreams() {
      @Override
      public java.util.concurrent.CompletableFuture<io.fornax.api.proto.Response> connect(long id,
          io.fornax.api.proto.AgentConnectRequest r, io.netty.channel.Channel ch) {
        return java.util.concurrent.CompletableFuture.completedFuture(
            NotLeader.response(backend, "agent streams"));
      }

      @Override
      public java.util.concurrent.CompletableFuture<io.fornax.api.proto.Response> report(
          io.fornax.api.proto.AgentReportRequest r) {
        return java.util.concurrent.CompletableFuture.completedFuture(
            NotLeader.response(backend, "agent reports"));
      }
    });
  }

  public ApiServer(CoreBackend backend, ApiServerConfig config, NodeHeartbeats heartbeats,
      AgentStreams agents) {
    this.backend = backend;
    this.config = config;
    this.heartbeats = heartbeats;
    this.agents = agents;
  }

  public ApiServer start() throws InterruptedException {
    RequestDispatcher dispatcher = new RequestDispatcher(backend,
        new Authenticator(config.adminTokenHash(), backend), heartbeats, agents);
    channel = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ApiInitializer(dispatcher, config))
        .bind(config.host(), config.port())
        .sync()
        .channel();
    LOG.debug("API listening on {}", channel.localAddress());
    return this;
  }

  /** The bound port (useful when the config asked for port 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
