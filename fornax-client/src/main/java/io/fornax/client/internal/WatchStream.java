package io.fornax.client.internal;

import io.fornax.api.proto.Response;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One watch (or other long-lived stream) on a {@link FornaxConnection}: the responses carrying
 * its request id. It ends once: by {@link #cancel()}, by an error response from the server
 * (delivered to {@code onResponse} like any other), or by the connection closing ({@code
 * onClose}). Nothing is delivered after it ended.
 */
public final class WatchStream implements AutoCloseable {
  private final FornaxConnection connection;
  private final long id;
  private final Consumer<Response> onResponse;
  private final Consumer<Throwable> onClose;
  private final AtomicBoolean done = new AtomicBoolean();

  WatchStream(FornaxConnection connection, long id, Consumer<Response> onResponse,
      Consumer<Throwable> onClose) {
    this.connection = connection;
    this.id = id;
    this.onResponse = onResponse;
    this.onClose = onClose;
  }

  /** The id of the request that started it (what cancel_watch names). */
  public long id() {
    return id;
  }

  /** Whether it has ended (cancelled, ended by the server, or the connection closed). */
  public boolean isDone() {
    return done.get();
  }

  void deliver(Response r) {
    if (!done.get()) {
      onResponse.accept(r);
    }
  }

  /** The server's last word on this stream (an error): delivered, then the stream is over. */
  void deliverLast(Response r) {
    if (done.compareAndSet(false, true)) {
      onResponse.accept(r);
    }
  }

  void closed(Throwable cause) {
    if (done.compareAndSet(false, true)) {
      onClose.accept(cause);
    }
  }

  /** Ends the stream and sends cancel_watch; later calls do nothing. */
  public void cancel() {
    if (done.compareAndSet(false, true)) {
      connection.cancelStream(id);
    }
  }

  @Override
  public void close() {
    cancel();
  }
}
