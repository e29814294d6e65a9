package io.fornax.client.internal;

import io.fornax.api.proto.Response;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** One watch on a {@link FornaxConnection}; {@link #cancel()} ends it. */
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

  public long id() {
    return id;
  }

  void deliver(Response r) {
    if (!done.get()) {
      onResponse.accept(r);
    }
  }

  void closed(Throwable cause) {
    if (done.compareAndSet(false, true)) {
      onClose.accept(cause);
    }
  }

  public void cancel() {
    if (done.compareAndSet(false, true)) {
      connection.cancelWatch(id);
    }
  }

  @Override
  public void close() {
    cancel();
  }
}
