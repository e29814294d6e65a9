package io.fornax.client;

import io.fornax.api.proto.CloseSessionRequest;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Session;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sessions: a client's claim on one instance of an application, reached through the endpoint
 * the session carries once AVAILABLE. Opens are safe to retry: each carries an idempotency key,
 * so a replica failing mid-call never opens a second session.
 */
public final class Sessions {
  private final Calls calls;
  private final SessionWaiter waiter;
  private final Duration waitTimeout;

  Sessions(Calls calls, SessionWaiter waiter, Duration waitTimeout) {
    this.calls = calls;
    this.waiter = waiter;
    this.waitTimeout = waitTimeout;
  }

  /**
   * Opens a session of {@code application} and completes when it is AVAILABLE, with its
   * endpoint in {@code status.endpoints}. Fails with {@link SessionFailedException} (carrying the
   * session's reason) if it times out or is lost first.
   */
  public CompletableFuture<Session> openAsync(String application, OpenOptions options) {
    String key = options.keyOrFresh();
    Request.Builder open = Request.newBuilder().setOpenSession(OpenSessionRequest.newBuilder()
        .setApplication(application)
        .setSessionData(options.data)
        .setOpenTimeoutMs(options.openTimeout.toMillis())
        .setCloseGracePeriodMs(options.closeGracePeriod.toMillis())
        .setIdempotencyKey(key)
        .putAllLabels(options.labels)
        .setTenant(calls.tenant));
    if (!options.waitAvailable) {
      return calls.ok(open).thenApply(r -> r.getResource().getSession());
    }
    Duration timeout = options.openTimeout.isZero() ? waitTimeout
        : options.openTimeout.plus(calls.transport.requestTimeout());
    return waiter.ready().thenCompose(started -> {
      CompletableFuture<Session> available = waiter.awaitOpen(key, timeout);
      calls.ok(open).whenComplete((r, e) -> {
        if (e != null) {
          available.completeExceptionally(FornaxClientException.from(e));
        } else {
          waiter.seen(r.getResource().getSession());
        }
      });
      return available;
    });
  }

  /** Blocking {@link #openAsync(String, OpenOptions)}. */
  public Session open(String application, OpenOptions options) {
    return Calls.await(openAsync(application, options));
  }

  /** Opens with {@link OpenOptions#defaults()} and waits until it is AVAILABLE. */
  public Session open(String application) {
    return open(application, OpenOptions.defaults());
  }

  /**
   * Closes a session and completes once it is CLOSED (its instance confirmed the close, or it
   * was never bound). Closing a session that already ended returns it as it is.
   */
  public CompletableFuture<Session> closeAsync(String name) {
    Request.Builder close = Request.newBuilder().setCloseSession(
        CloseSessionRequest.newBuilder().setName(name).setTenant(calls.tenant));
    return waiter.ready().thenCompose(started -> {
      CompletableFuture<Session> closed = waiter.awaitClosed(name, waitTimeout);
      calls.ok(close).whenComplete((r, e) -> {
        if (e != null) {
          closed.completeExceptionally(FornaxClientException.from(e));
        } else {
          waiter.seen(r.getResource().getSession());
        }
      });
      return closed;
    });
  }

  /** Blocking {@link #closeAsync(String)}. */
  public Session close(String name) {
    return Calls.await(closeAsync(name));
  }

  /** Asks for the close and returns at once (CLOSING or CLOSED). */
  public CompletableFuture<Session> closeNoWaitAsync(String name) {
    return calls.ok(Request.newBuilder().setCloseSession(
            CloseSessionRequest.newBuilder().setName(name).setTenant(calls.tenant)))
        .thenApply(r -> r.getResource().getSession());
  }

  public CompletableFuture<Session> getAsync(String name) {
    return calls.get(Kind.SESSION, name, Resource::getSession);
  }

  /** @throws NotFoundException if there is no such session */
  public Session get(String name) {
    return Calls.await(getAsync(name));
  }

  /** Sessions of {@code application} (empty: all) carrying all of {@code labelSelector}. */
  public CompletableFuture<List<Session>> listAsync(String application,
      Map<String, String> labelSelector) {
    return calls.list(Kind.SESSION, labelSelector, application, Resource::getSession);
  }

  public List<Session> list(String application) {
    return Calls.await(listAsync(application, Map.of()));
  }

  public List<Session> list() {
    return list("");
  }
}
