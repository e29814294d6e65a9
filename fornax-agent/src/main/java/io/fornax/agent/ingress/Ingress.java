package io.fornax.agent.ingress;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One host port per open session, forwarding TCP to the instance: its port on the node's
 * loopback, or a Unix socket (the relay into a container's own network namespace). Bytes are
 * relayed as Netty buffers, never copied into the heap; when the session closes its port stops
 * listening and its live connections are cut, so traffic to a closed session is refused. Runs
 * on Netty's native epoll transport where it loads (needed for Unix-socket targets), else NIO.
 */
public final class Ingress implements AutoCloseable {
  private static final boolean EPOLL = Epoll.isAvailable();
  private final String host;
  private final int from;
  private final int to;
  private final EventLoopGroup group = EPOLL ? new EpollEventLoopGroup(2) : new NioEventLoopGroup(2);
  private final Map<String, Route> routes = new ConcurrentHashMap<>();

  /** Listens on {@code host}, choosing ports in {@code from..to}. */
  public Ingress(String host, int from, int to) {
    this.host = host;
    this.from = from;
    this.to = to;
  }

  /** Whether Unix-socket targets work here (the native epoll transport loaded). */
  public static boolean unixTargets() {
    return EPOLL;
  }

  /** Opens the session's port forwarding to {@code targetHost:targetPort}; returns it. */
  public int open(String session, String targetHost, int targetPort) throws IOException {
    return open(session, new InetSocketAddress(targetHost, targetPort));
  }

  /**
   * Opens the session's port forwarding to {@code target}: an {@link InetSocketAddress} or a
   * {@link UnixDomainSocketAddress}; returns the port.
   */
  public synchronized int open(String session, SocketAddress target) throws IOException {
    Route existing = routes.get(session);
    if (existing != null) {
      return existing.port;
    }
    for (int port = from; port <= to; port++) {
      if (inUse(port)) {
        continue;
      }
      try {
        return reopen(session, port, target);
      } catch (IOException e) {
        // taken by someone else: try the next one
      }
    }
    throw new IOException("no free ingress port in " + from + ".." + to);
  }

  /**
   * Opens the session on exactly {@code port} (a restarted agent forwarding the sessions of the
   * instances it re-adopted on the ports their clients already know); fails if it is taken.
   */
  public synchronized int reopen(String session, int port, SocketAddress target)
      throws IOException {
    SocketAddress backend = backend(target);
    Route existing = routes.get(session);
    if (existing != null) {
      return existing.port;
    }
    ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    try {
      Channel listener = new ServerBootstrap().group(group)
          .channel(EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.AUTO_READ, false)
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel inbound) {
              connections.add(inbound);
              inbound.pipeline().addLast(new Front(backend, connections));
            }
          })
          .bind(host, port).sync().channel();
      routes.put(session, new Route(port, listener, connections));
      return port;
    } catch (Exception e) {
      throw new IOException("ingress port " + port + " is taken (" + e.getMessage() + ")", e);
    }
  }

  /** The target as Netty connects to it; Unix sockets only with epoll. */
  private static SocketAddress backend(SocketAddress target) throws IOException {
    if (target instanceof UnixDomainSocketAddress unix) {
      if (!EPOLL) {
        throw new IOException("forwarding to a Unix socket needs Netty's native epoll transport,"
            + " which did not load here (Linux x86_64 only)");
      }
      return new DomainSocketAddress(unix.getPath().toString());
    }
    if (target instanceof InetSocketAddress) {
      return target;
    }
    throw new IOException("cannot forward to " + target);
  }

  private boolean inUse(int port) {
    return routes.values().stream().anyMatch(r -> r.port == port);
  }

  /** Stops listening on the session's port and cuts its connections. */
  public synchronized void close(String session) {
    Route r = routes.remove(session);
    if (r != null) {
      r.listener.close().syncUninterruptibly();
      r.connections.close().awaitUninterruptibly();
    }
  }

  public int openRoutes() {
    return routes.size();
  }

  @Override
  public void close() {
    routes.keySet().forEach(this::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private record Route(int port, Channel listener, ChannelGroup connections) {}

  /**
   * Half-closes carried through: a side that finished sending (e.g. {@code nc -N}, an HTTP/1.0
   * client) gets its EOF passed on once what it sent is flushed, while the other direction keeps
   * flowing; the pair closes when both have finished. Both channels share one event loop.
   */
  private static final class Pair {
    Channel front;
    Channel back;
    boolean frontDone;
    boolean backDone;

    void finished(Channel from) {
      Channel to = from == front ? back : front;
      if (from == front) {
        frontDone = true;
      } else {
        backDone = true;
      }
      if (frontDone && backDone) {
        front.close();
        back.close();
        return;
      }
      to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          ((DuplexChannel) to).shutdownOutput();
        } else {
          from.close();
        }
      });
    }
  }

  /** Client side: connects to the instance, then relays both ways. */
  private final class Front extends ChannelInboundHandlerAdapter {
    private final SocketAddress target;
    private final ChannelGroup connections;
    private final Pair pair = new Pair();
    private Channel back;
    /**
     * What the client sent, and whether it finished sending, before the instance side was
     * connected: epoll reads everything once the peer half-closes, whatever auto-read says.
     */
    private final java.util.ArrayDeque<Object> early = new java.util.ArrayDeque<>();
    private boolean finishedEarly;

    Front(SocketAddress target, ChannelGroup connections) {
      this.target = target;
      this.connections = connections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel front = ctx.channel();
      pair.front = front;
      Bootstrap b = new Bootstrap().group(front.eventLoop())
          .option(ChannelOption.ALLOW_HALF_CLOSURE, true);
      if (target instanceof DomainSocketAddress) {
        b.channel(EpollDomainSocketChannel.class);
      } else {
        b.channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true);
      }
      b.handler(new Relay(front, pair))
          .connect(target)
          .addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
              back = f.channel();
              pair.back = back;
              connections.add(back);
              while (!early.isEmpty()) {
                back.write(early.poll());
              }
              back.flush();
              if (finishedEarly) {
                pair.finished(front);
              } else {
                front.read();
              }
            } else {
              early.forEach(io.netty.util.ReferenceCountUtil::release);
              early.clear();
              front.close();
            }
          });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (back == null) {
        early.add(msg);
        return;
      }
      back.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          ctx.channel().read();
        } else {
          f.channel().close();
        }
      });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        if (back != null) {
          pair.finished(ctx.channel());
        } else {
          finishedEarly = true;
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      early.forEach(io.netty.util.ReferenceCountUtil::release);
      early.clear();
      if (back != null) {
        back.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Instance side: relays back to the client. */
  private static final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel front;
    private final Pair pair;

    Relay(Channel front, Pair pair) {
      this.front = front;
      this.pair = pair;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      front.writeAndFlush(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        pair.finished(ctx.channel());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      front.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
