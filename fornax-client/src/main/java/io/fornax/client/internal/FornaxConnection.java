package io.fornax.client.internal;

import io.fornax.api.FornaxException;
import io.fornax.api.Nullable;
import io.fornax.api.proto.CancelWatchRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.WatchRequest;
import io.fornax.api.validation.Limits;
import io.fornax.api.wire.Frames;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One TCP connection to one replica's API. Requests are pipelined: each gets a fresh id and its
 * response completes the matching future, in whatever order responses arrive. Error responses
 * are returned as responses (callers decide what they mean); only a lost connection, or a
 * connection-level error (a response with id 0), fails the futures.
 *
 * <p>Thread-safe. Callbacks and futures complete on the connection's event loop: do not block
 * in them.
 */
public final class FornaxConnection implements AutoCloseable {
  private final String address;
  private final @Nullable String token;
  private final Channel channel;
  private final @Nullable EventLoopGroup ownGroup;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
  private final Map<Long, WatchStream> streams = new ConcurrentHashMap<>();
  private final AtomicBoolean closing = new AtomicBoolean();

  private final ChannelFuture connecting;

  /** Starts connecting; {@link #connecting} completes when the channel is connected (or not). */
  private FornaxConnection(String host, int port, @Nullable String token, Duration connectTimeout,
      EventLoopGroup group, @Nullable EventLoopGroup ownGroup) {
    this.address = host + ":" + port;
    this.token = token;
    this.ownGroup = ownGroup;
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
            connectTimeout.toMillis()))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            Frames.addCodec(ch.pipeline(), Response.getDefaultInstance(), Limits.MAX_FRAME_BYTES);
            ch.pipeline().addLast(new Inbound());
          }
        });
    this.connecting = b.connect(host, port);
    this.channel = connecting.channel();
    channel.closeFuture().addListener(f -> failAll(closed()));
  }

  private FornaxException cannotConnect(Throwable cause) {
    if (ownGroup != null) {
      ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    return new FornaxException(ErrorCode.UNAVAILABLE, "cannot connect to " + address + ": "
        + cause.getMessage(), cause);
  }

  /**
   * Connects with a one-thread event loop of its own, shut down by {@link #close()}.
   *
   * @param token sent with every request that carries none; null to send none
   * @throws FornaxException UNAVAILABLE if the connection cannot be made in time
   */
  public static FornaxConnection connect(String host, int port, @Nullable String token,
      Duration connectTimeout) {
    return connect(host, port, token, connectTimeout, null);
  }

  /**
   * Connects on {@code group}, which the caller owns and shuts down; with a null group the
   * connection makes its own one-thread loop.
   */
  public static FornaxConnection connect(String host, int port, @Nullable String token,
      Duration connectTimeout, @Nullable EventLoopGroup group) {
    FornaxConnection c = start(host, port, token, connectTimeout, group);
    c.connecting.awaitUninterruptibly();
    if (!c.connecting.isSuccess()) {
      throw c.cannotConnect(c.connecting.cause());
    }
    return c;
  }

  /**
   * Connects without blocking the caller: the future completes (on the event loop) with the
   * connection, or exceptionally with UNAVAILABLE. Many connections opened from one thread (a
   * thousand simulated nodes after a failover) are made at once, not one after the other.
   */
  public static CompletableFuture<FornaxConnection> connectAsync(String host, int port,
      @Nullable String token, Duration connectTimeout, @Nullable EventLoopGroup group) {
    FornaxConnection c = start(host, port, token, connectTimeout, group);
    CompletableFuture<FornaxConnection> out = new CompletableFuture<>();
    c.connecting.addListener(f -> {
      if (f.isSuccess()) {
        out.complete(c);
      } else {
        out.completeExceptionally(c.cannotConnect(f.cause()));
      }
    });
    return out;
  }

  private static FornaxConnection start(String host, int port, @Nullable String token,
      Duration connectTimeout, @Nullable EventLoopGroup group) {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1..65535 (got " + port + ")");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
    if (group != null) {
      return new FornaxConnection(host, port, token, connectTimeout, group, null);
    }
    NioEventLoopGroup own = new NioEventLoopGroup(1);
    return new FornaxConnection(host, port, token, connectTimeout, own, own);
  }

  /** {@code host:port} of the replica. */
  public String address() {
    return address;
  }

  /**
   * Sends a request with a fresh id (and the connection's token if it carries none). Completes
   * with its response, errors included, or exceptionally with UNAVAILABLE if the connection
   * drops first. Cancelling the future forgets the request (its late response is dropped).
   */
  public CompletableFuture<Response> call(Request request) {
    long id = ids.incrementAndGet();
    CompletableFuture<Response> f = new CompletableFuture<>();
    pending.put(id, f);
    f.whenComplete((r, e) -> pending.remove(id));
    if (!channel.isActive()) {
      f.completeExceptionally(closed()); // failAll may have run before the put
      return f;
    }
    channel.writeAndFlush(stamp(request, id)).addListener(w -> {
      if (!w.isSuccess()) {
        f.completeExceptionally(new FornaxException(ErrorCode.UNAVAILABLE,
            "cannot send to " + address + ": " + w.cause(), w.cause()));
      }
    });
    return f;
  }

  /**
   * Blocking form of {@link #call}, for tests and tools.
   *
   * @throws FornaxException UNAVAILABLE if the connection drops, TIMEOUT if no response came
   *     within {@code timeout}
   */
  public Response callSync(Request request, Duration timeout) {
    CompletableFuture<Response> f = call(request);
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof FornaxException fe ? fe
          : new FornaxException(ErrorCode.UNAVAILABLE, String.valueOf(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      f.cancel(false);
      throw new FornaxException(ErrorCode.TIMEOUT, "no answer from " + address + " within "
          + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      f.cancel(false);
      Thread.currentThread().interrupt();
      throw new FornaxException(ErrorCode.UNAVAILABLE, "interrupted waiting for " + address);
    }
  }

  /**
   * Starts a watch. Every response with the watch's id goes to {@code onResponse}: first
   * watch_started (or an error, which ends the watch), then events. {@code onClose} runs once if
   * the connection closes while the watch is live; it does not run after {@link
   * WatchStream#cancel()} or an error response.
   */
  public WatchStream watch(WatchRequest watch, Consumer<Response> onResponse,
      Consumer<Throwable> onClose) {
    return stream(Request.newBuilder().setWatch(watch).build(), onResponse, onClose);
  }

  /**
   * Sends a request whose id keeps receiving responses (a watch, an agent stream): each goes to
   * {@code onResponse} until the stream is cancelled, an error response ends it, or the
   * connection closes ({@code onClose}).
   */
  public WatchStream stream(Request request, Consumer<Response> onResponse,
      Consumer<Throwable> onClose) {
    long id = ids.incrementAndGet();
    WatchStream stream = new WatchStream(this, id, onResponse, onClose);
    streams.put(id, stream);
    if (!channel.isActive()) {
      dropStream(id, closed()); // failAll may have run before the put
      return stream;
    }
    channel.writeAndFlush(stamp(request, id)).addListener(w -> {
      if (!w.isSuccess()) {
        dropStream(id, new FornaxException(ErrorCode.UNAVAILABLE,
            "cannot send to " + address + ": " + w.cause(), w.cause()));
      }
    });
    return stream;
  }

  /** Forgets stream {@code id} and, while connected, tells the server to end it. */
  void cancelStream(long id) {
    if (streams.remove(id) != null && channel.isActive()) {
      call(Request.newBuilder().setCancelWatch(CancelWatchRequest.newBuilder().setWatchId(id))
          .build());
    }
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /**
   * Closes the connection (failing what is pending with UNAVAILABLE) and its own event loop.
   * Later calls do nothing.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    if (channel.eventLoop().inEventLoop()) {
      channel.close(); // from a callback: waiting here would deadlock the loop
    } else {
      channel.close().syncUninterruptibly();
    }
    if (ownGroup != null) {
      ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private Request stamp(Request request, long id) {
    Request.Builder b = request.toBuilder().setId(id);
    if (b.getToken().isEmpty() && token != null) {
      b.setToken(token);
    }
    return b.build();
  }

  private FornaxException closed() {
    return new FornaxException(ErrorCode.UNAVAILABLE, "connection to " + address + " closed");
  }

  private void dropStream(long id, Throwable cause) {
    WatchStream s = streams.remove(id);
    if (s != null) {
      s.closed(cause);
    }
  }

  private void failAll(FornaxException e) {
    for (Long id : pending.keySet()) {
      CompletableFuture<Response> f = pending.remove(id);
      if (f != null) {
        f.completeExceptionally(e);
      }
    }
    for (Long id : streams.keySet()) {
      dropStream(id, e);
    }
  }

  private final class Inbound extends SimpleChannelInboundHandler<Response> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Response r) {
      if (r.getId() == 0 && r.hasError()) {
        // A connection-level error (a bad frame, a timeout): the server closes the connection.
        failAll(FornaxException.fromProto(r.getError()));
        return;
      }
      CompletableFuture<Response> f = pending.remove(r.getId());
      if (f != null) {
        f.complete(r);
        return;
      }
      WatchStream s = streams.get(r.getId());
      if (s == null) {
        return; // a late answer to a cancelled call or stream
      }
      if (r.hasError() && r.getError().getCode() != ErrorCode.OK) {
        streams.remove(r.getId()); // the server ended the stream
        s.deliverLast(r);
      } else {
        s.deliver(r);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failAll(new FornaxException(ErrorCode.UNAVAILABLE, "connection to " + address + " failed: "
          + cause.getMessage(), cause));
      ctx.close();
    }
  }
}
