package io.fornax.core.server;

import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.AgentReportRequest;
import io.fornax.api.proto.Response;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Fornax API of one replica: a Netty server (one boss thread, two workers) whose
 * connections are set up by {@link ApiInitializer}. Every replica runs one; writes go through
 * the {@link CoreBackend}, leader-only requests (heartbeats, agent streams) to the leader hooks.
 *
 * <pre>{@code
 * try (ApiServer api = new ApiServer(backend, ApiServerConfig.loopback(hash)).start()) {
 *   int port = api.port();
 * }
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final CoreBackend backend;
  private final ApiServerConfig config;
  private final NodeHeartbeats heartbeats;
  private final AgentStreams agents;
  private final EventLoopGroup boss = new NioEventLoopGroup(1);
  private final EventLoopGroup workers = new NioEventLoopGroup(2);
  /** Open connections, so close() can end them before the loops wind down. */
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private volatile Channel channel;

  /** An API server with no leader duties: heartbeats and agent streams answer NOT_LEADER. */
  public ApiServer(CoreBackend backend, ApiServerConfig config) {
    this(backend, config, NodeHeartbeats.NOT_LEADER, notLeader(backend));
  }

  /** An API server that hands heartbeats and agent streams to the leader's hooks. */
  public ApiServer(CoreBackend backend, ApiServerConfig config, NodeHeartbeats heartbeats,
      AgentStreams agents) {
    this.backend = backend;
    this.config = config;
    this.heartbeats = heartbeats;
    this.agents = agents;
  }

  /**
   * Binds {@code config.host():config.port()} and starts accepting connections. On failure
   * the event loops are shut down and the server cannot be started again.
   */
  public synchronized ApiServer start() throws InterruptedException {
    if (channel != null) {
      throw new IllegalStateException("already started");
    }
    RequestDispatcher dispatcher = new RequestDispatcher(backend,
        new Authenticator(config.adminTokenHash(), backend), heartbeats, agents);
    ApiInitializer initializer = new ApiInitializer(dispatcher, config);
    try {
      channel = new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              connections.add(ch); // removed again by the group when the channel closes
              ch.pipeline().addLast(initializer);
            }
          })
          .bind(config.host(), config.port())
          .sync()
          .channel();
    } catch (InterruptedException | RuntimeException e) {
      shutDownLoops();
      throw e;
    }
    LOG.debug("API listening on {}", channel.localAddress());
    return this;
  }

  /** The bound port: the configured one, or the one picked when the config asked for 0. */
  public int port() {
    Channel c = channel;
    if (c == null) {
      throw new IllegalStateException("not started");
    }
    return ((InetSocketAddress) c.localAddress()).getPort();
  }

  /** Stops accepting, closes every connection (ending their watches), stops the threads. */
  @Override
  public void close() {
    Channel c = channel;
    if (c != null) {
      c.close().syncUninterruptibly();
    }
    connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    shutDownLoops();
  }

  private void shutDownLoops() {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Agent streams on a replica without leader duties: every call answers NOT_LEADER. */
  static AgentStreams notLeader(CoreBackend backend) {
    return new AgentStreams() {
      @Override
      public CompletableFuture<Response> connect(long id, AgentConnectRequest r, Channel ch) {
        return CompletableFuture.completedFuture(NotLeader.response(backend, "agent streams"));
      }

      @Override
      public CompletableFuture<Response> report(AgentReportRequest r) {
        return CompletableFuture.completedFuture(NotLeader.response(backend, "agent reports"));
      }
    };
  }
}
