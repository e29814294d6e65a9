package io.fornax.client.internal;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.CancelWatchRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.WatchRequest;
import io.fornax.api.validation.Limits;
import io.fornax.api.wire.Frames;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One TCP connection to one replica's API. Requests are pipelined: each gets a fresh id and its
 * response completes the matching future, in whatever order responses arrive. Error responses
 * are returned as responses; only a lost connection fails a future (UNAVAILABLE).
 */
public final class FornaxConnection implements AutoCloseable {
  private final String address;
  private final String token;
  private final Channel channel;
  private final EventLoopGroup ownGroup;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
  private final Map<Long, WatchStream> watches = new ConcurrentHashMap<>();

  private FornaxConnection(String host, int port, String token, Duration connectTimeout,
      EventLoopGroup group, EventLoopGroup ownGroup) {
    this.address = host + ":" + port;
    this.token = token;
    this.ownGroup = ownGroup;
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            Frames.addCodec(ch.pipeline(), Response.getDefaultInstance(), Limits.MAX_FRAME_BYTES);
            ch.pipeline().addLast(new Inbound());
          }
        });
    try {
      this.channel = b.connect(host, port).syncUninterruptibly().channel();
    } catch (Exception e) { // Netty rethrows the checked ConnectException undeclared
      // (a RuntimeException-only catch lets it escape and silently kill scheduled callers)
      if (ownGroup != null) {
        ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
      throw new FornaxException(ErrorCode.UNAVAILABLE, "cannot connect to " + address + ": "
          + e.getMessage(), e);
    }
    channel.closeFuture().addListener(f -> failAll(new FornaxException(ErrorCode.UNAVAILABLE,
        "connection to " + address + " closed")));
  }

  /** Connects with its own one-thread event loop. */
  public static FornaxConnection connect(String host, int port, String token, Duration connectTimeout) {
    NioEventLoopGroup group = new NioEventLoopGroup(1);
    return new FornaxConnection(host, port, token, connectTimeout, group, group);
  }

  /** Connects on a shared event loop group (the caller owns and shuts it down). */
  public static FornaxConnection connect(String host, int port, String token, Duration connectTimeout,
      EventLoopGroup group) {
    return new FornaxConnection(host, port, token, connectTimeout, group, null);
  }

  public String address() {
    return address;
  }

  /** Sends a request (a fresh id, and the token if it has none); completes with its response. */
  public CompletableFuture<Response> call(Request request) {
    long id = ids.incrementAndGet();
    Request r = stamp(request, id);
    CompletableFuture<Response> f = new CompletableFuture<>();
    pending.put(id, f);
    if (!channel.isActive()) {
      pending.remove(id);
      return CompletableFuture.failedFuture(closed());
    }
    channel.writeAndFlush(r).addListener(w -> {
      if (!w.isSuccess()) {
        pending.remove(id);
        f.completeExceptionally(new FornaxException(ErrorCode.UNAVAILABLE,
            "cannot send to " + address + ": " + w.cause()));
      }
    });
    return f;
  }

  /** Blocking form of {@link #call}. */
  public Response callSync(Request request, Duration timeout) {
    try {
      return call(request).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof FornaxException f ? f
          : new FornaxException(ErrorCode.UNAVAILABLE, String.valueOf(e.getCause()), e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new FornaxException(ErrorCode.TIMEOUT, "no answer from " + address + " within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FornaxException(ErrorCode.UNAVAILABLE, "interrupted");
    }
  }

  /**
   * Starts a watch. Every response with the watch's id goes to {@code onResponse} (first
   * watch_started or an error, then events); {@code onClose} runs once when the watch ends
   * because the connection closed.
   */
  public WatchStream watch(WatchRequest watch, Consumer<Response> onResponse,
      Consumer<Throwable> onClose) {
    return stream(Request.newBuilder().setWatch(watch).build(), onResponse, onClose);
  }

  /**
   * Sends a request whose id keeps receiving responses (a watch, an agent stream): each goes to
   * {@code onResponse} until the stream is cancelled or the connection closes.
   */
  public WatchStream stream(Request request, Consumer<Response> onResponse,
      Consumer<Throwable> onClose) {
    long id = ids.incrementAndGet();
    WatchStream stream = new WatchStream(this, id, onResponse, onClose);
    watches.put(id, stream);
    channel.writeAndFlush(stamp(request, id)).addListener(w -> {
      if (!w.isSuccess() && watches.remove(id) != null) {
        stream.closed(closed());
      }
    });
    if (!channel.isActive() && watches.remove(id) != null) {
      stream.closed(closed()); // the connection closed before the stream was registered
    }
    return stream;
  }

  void cancelWatch(long id) {
    if (watches.remove(id) != null && channel.isActive()) {
      call(Request.newBuilder().setCancelWatch(CancelWatchRequest.newBuilder().setWatchId(id)).build());
    }
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
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

  private void failAll(FornaxException e) {
    pending.values().forEach(f -> f.completeExceptionally(e));
    pending.clear();
    watches.values().forEach(w -> w.closed(e));
    watches.clear();
  }

  private final class Inbound extends SimpleChannelInboundHandler<Response> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Response r) {
      if (r.getId() == 0 && r.hasError()) {
        // A connection-level error (e.g. a bad frame): the server closes the connection next.
        failAll(FornaxException.fromProto(r.getError()));
        return;
      }
      CompletableFuture<Response> f = pending.remove(r.getId());
      if (f != null) {
        f.complete(r);
        return;
      }
      WatchStream w = watches.get(r.getId());
      if (w != null) {
        w.deliver(r);
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
