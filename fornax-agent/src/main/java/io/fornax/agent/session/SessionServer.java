package io.fornax.agent.session;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's session server, on loopback: instances connect, prove who they are (instance id +
 * the secret the agent put in their environment), and then receive open/close for their
 * sessions and answer ready/closed. An instance that stops heartbeating, or disconnects, loses
 * its sessions (reported to the {@link Listener} with the reason). After an agent restart, the
 * instances it re-adopted reconnect (same port, same token) and say hello again; their open
 * sessions are handed over with {@link #awaitReconnect}, and are lost if the instance does not
 * come back within the heartbeat timeout.
 */
public final class SessionServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionServer.class);
  /** Longest line accepted: 64 KiB of session data is ~88 KiB in base64. */
  public static final int MAX_LINE = 256 << 10;

  /** Told when sessions end without being closed by the agent. */
  public interface Listener {
    void sessionLost(String instance, String session, String reason);
  }

  private final Listener listener;
  private final Duration heartbeatTimeout;
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final Map<String, Connected> connected = new ConcurrentHashMap<>();
  private final Map<String, Awaited> awaited = new ConcurrentHashMap<>();
  private Channel server;

  public SessionServer(Listener listener, Duration heartbeatTimeout) {
    this.listener = listener;
    this.heartbeatTimeout = heartbeatTimeout;
  }

  public SessionServer start(String host, int port) throws InterruptedException {
    // A restarted agent binds the same port again at once, whatever TIME_WAIT sockets remain.
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE),
                new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8),
                new Handler());
          }
        })
        .bind(host, port).sync().channel();
    group.scheduleAtFixedRate(this::checkHeartbeats, 1, 1, TimeUnit.SECONDS);
    return this;
  }

  /**
   * Listens on {@code port}; with 0, on the port the previous run kept in {@code portFile} (so
   * instances still running after an agent restart find the server where their environment
   * says), falling back to any free one with a warning. Keeps the port in {@code portFile}.
   */
  public SessionServer start(String host, int port, Path portFile)
      throws InterruptedException, IOException {
    int wanted = port;
    if (wanted == 0 && Files.exists(portFile)) {
      try {
        wanted = Integer.parseInt(Files.readString(portFile).trim());
      } catch (NumberFormatException e) {
        LOG.warn("unreadable {}: the session server takes a new port", portFile);
      }
    }
    try {
      start(host, wanted);
    } catch (Exception e) { // Netty rethrows the BindException unchecked
      if (port != 0 || wanted == 0) {
        throw new IOException("cannot listen for instances on " + host + ":" + wanted + ": " + e, e);
      }
      LOG.warn("session server port {} of the previous run is taken ({}): instances still running "
          + "from it cannot reconnect", wanted, e.toString());
      start(host, 0);
    }
    Files.writeString(portFile, Integer.toString(((InetSocketAddress) server.localAddress()).getPort()));
    return this;
  }

  /** "host:port" for FORNAX_SESSION_SERVER. */
  public String address() {
    InetSocketAddress a = (InetSocketAddress) server.localAddress();
    return a.getHostString() + ":" + a.getPort();
  }

  /** Expects instance {@code id} to connect with {@code token}. */
  public void register(String id, String token) {
    tokens.put(id, token);
  }

  /**
   * Instance {@code id}, re-adopted after an agent restart, had {@code sessions} open: they stay
   * open if it says hello again within the heartbeat timeout, else they are lost.
   */
  public void awaitReconnect(String id, Set<String> sessions) {
    awaited.put(id, new Awaited(Set.copyOf(sessions), System.nanoTime() + heartbeatTimeout.toNanos()));
  }

  private record Awaited(Set<String> sessions, long deadline) {}

  public void forget(String id) {
    tokens.remove(id);
    awaited.remove(id);
    Connected c = connected.remove(id);
    if (c != null) {
      c.channel.close();
    }
  }

  public boolean isConnected(String id) {
    return connected.containsKey(id);
  }

  /** Sends open; completes when the instance answers ready for that session. */
  public CompletableFuture<Void> open(String instance, String session, byte[] data) {
    Connected c = connected.get(instance);
    if (c == null) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "instance " + instance + " is not connected to the session server"));
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    c.opening.put(session, ready);
    SessionMessage m = SessionMessage.of("open").session(session);
    m.data = Base64.getEncoder().encodeToString(data);
    c.channel.writeAndFlush(m.toLine());
    return ready;
  }

  /** Sends close; completes when the instance answers closed, or after the grace period. */
  public CompletableFuture<Void> close(String instance, String session, Duration grace) {
    Connected c = connected.get(instance);
    if (c == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> closed = new CompletableFuture<>();
    c.closing.put(session, closed);
    SessionMessage m = SessionMessage.of("close").session(session);
    m.graceMs = grace.toMillis();
    c.channel.writeAndFlush(m.toLine());
    return closed.completeOnTimeout(null, grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void checkHeartbeats() {
    long now = System.nanoTime();
    awaited.forEach((id, a) -> {
      if (now - a.deadline > 0 && awaited.remove(id, a)) {
        LOG.info("instance {} did not reconnect after the agent restarted; its sessions are lost", id);
        a.sessions.forEach(s -> listener.sessionLost(id, s, "instance did not reconnect to the "
            + "session server within " + heartbeatTimeout.toSeconds() + "s of the agent restarting"));
      }
    });
    for (Connected c : connected.values()) {
      if (now - c.lastHeard > heartbeatTimeout.toNanos()) {
        LOG.info("instance {} stopped heartbeating; closing its sessions", c.instance);
        c.lose("instance stopped heartbeating for " + heartbeatTimeout.toSeconds() + "s");
        c.channel.close();
      }
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One authenticated instance connection. */
  private final class Connected {
    final String instance;
    final Channel channel;
    final Map<String, CompletableFuture<Void>> opening = new ConcurrentHashMap<>();
    final Map<String, CompletableFuture<Void>> closing = new ConcurrentHashMap<>();
    final Map<String, Boolean> open = new ConcurrentHashMap<>();
    volatile long lastHeard = System.nanoTime();

    Connected(String instance, Channel channel) {
      this.instance = instance;
      this.channel = channel;
    }

    void lose(String reason) {
      if (connected.remove(instance, this)) {
        opening.forEach((s, f) -> f.completeExceptionally(new IllegalStateException(reason)));
        open.keySet().forEach(s -> listener.sessionLost(instance, s, reason));
        closing.values().forEach(f -> f.complete(null));
      }
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<String> {
    private Connected me;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
      SessionMessage m;
      try {
        m = SessionMessage.parse(line);
      } catch (Exception e) {
        reject(ctx, "malformed message: " + e.getMessage().lines().findFirst().orElse(""));
        return;
      }
      if (me == null) {
        hello(ctx, m);
        return;
      }
      me.lastHeard = System.nanoTime();
      switch (m.type) {
        case "heartbeat" -> { }
        case "ready" -> answered(me.opening, m, true);
        case "closed" -> answered(me.closing, m, false);
        default -> reject(ctx, "unknown message type \"" + m.type + "\"");
      }
    }

    private void hello(ChannelHandlerContext ctx, SessionMessage m) {
      String expected = m.instance == null ? null : tokens.get(m.instance);
      if (!"hello".equals(m.type) || expected == null || !expected.equals(m.token)) {
        reject(ctx, "the first message must be hello with a known instance and its token");
        return;
      }
      me = new Connected(m.instance, ctx.channel());
      Awaited back = awaited.remove(m.instance);
      if (back != null) {
        back.sessions.forEach(s -> me.open.put(s, true));
        LOG.info("instance {} reconnected with {} open session(s)", m.instance, back.sessions.size());
      }
      Connected old = connected.put(m.instance, me);
      if (old != null) {
        old.channel.close();
      }
    }

    private void answered(Map<String, CompletableFuture<Void>> waiting, SessionMessage m, boolean ready) {
      CompletableFuture<Void> f = m.session == null ? null : waiting.remove(m.session);
      if (f == null) {
        me.channel.writeAndFlush(error("no " + (ready ? "open" : "close") + " pending for session "
            + m.session));
        return;
      }
      if (ready) {
        me.open.put(m.session, true);
      } else {
        me.open.remove(m.session);
      }
      f.complete(null);
    }

    private void reject(ChannelHandlerContext ctx, String why) {
      ctx.writeAndFlush(error(why)).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (me != null) {
        me.lose("instance disconnected from the session server");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      reject(ctx, cause instanceof io.netty.handler.codec.TooLongFrameException
          ? "line longer than " + MAX_LINE + " bytes" : "connection error");
    }
  }

  private static String error(String message) {
    SessionMessage m = SessionMessage.of("error");
    m.message = message;
    return m.toLine();
  }
}
