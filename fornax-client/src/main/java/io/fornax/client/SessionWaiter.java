package io.fornax.client;

import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.WatchEvent;
import io.fornax.api.proto.WatchRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * Waits for sessions to become AVAILABLE or CLOSED with one shared watch of the tenant's
 * sessions, rather than a watch per call: it is started before the first open, so every later
 * change of an opened session is seen (the watch resumes across failovers without a gap).
 * Opens are matched by idempotency key, which the client knows before the server names the
 * session; closes by name.
 */
final class SessionWaiter implements AutoCloseable {
  private final Calls calls;
  private final Map<String, CompletableFuture<Session>> opening = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Session>> closing = new ConcurrentHashMap<>();
  private Watch watch;

  SessionWaiter(Calls calls) {
    this.calls = calls;
  }

  /** Completes once the shared watch runs: only then may an awaited call be sent. */
  synchronized CompletableFuture<Long> ready() {
    if (watch == null || watch.isClosed()) {
      watch = new Watch(calls.transport, WatchRequest.newBuilder().setKind(Kind.SESSION)
          .setTenant(calls.tenant).build(), new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
              seen(event.getResource().getSession());
            }

            @Override
            public void onResync(List<Resource> items, long revision) {
              items.forEach(r -> seen(r.getSession()));
            }

            @Override
            public void onError(FornaxClientException error) {
              failAll(error);
            }
          });
    }
    return watch.started();
  }

  /** A future for the session opened with {@code key}: AVAILABLE, or failed with its reason. */
  CompletableFuture<Session> awaitOpen(String key, Duration timeout) {
    return register(opening, key, timeout, "become AVAILABLE");
  }

  /** A future for session {@code name} reaching CLOSED (or another end). */
  CompletableFuture<Session> awaitClosed(String name, Duration timeout) {
    return register(closing, name, timeout, "close");
  }

  private CompletableFuture<Session> register(Map<String, CompletableFuture<Session>> waiting,
      String key, Duration timeout, String what) {
    CompletableFuture<Session> f = waiting.computeIfAbsent(key, k -> new CompletableFuture<>());
    ScheduledFuture<?> expiry = calls.transport.schedule(() -> f.completeExceptionally(
        new UnavailableException(ErrorCode.TIMEOUT, "session " + key + " did not " + what
            + " within " + timeout.toMillis() + " ms")), timeout.toMillis());
    // An ended wait drops its timeout at once: thousands of opens a second must not leave
    // minutes of dead timer tasks behind.
    f.whenComplete((s, e) -> {
      waiting.remove(key, f);
      if (expiry != null) {
        expiry.cancel(false);
      }
    });
    return f;
  }

  /** Any sight of a session (an event, a list, a call's answer) may end a wait. */
  void seen(Session s) {
    SessionState state = s.getStatus().getState();
    CompletableFuture<Session> open = opening.get(s.getSpec().getIdempotencyKey());
    if (open != null) {
      switch (state) {
        case SESSION_AVAILABLE, SESSION_IN_USE -> open.complete(s);
        case SESSION_CLOSING, SESSION_CLOSED, SESSION_TIMEOUT, SESSION_LOST ->
            open.completeExceptionally(new SessionFailedException(s));
        default -> { } // still on its way
      }
    }
    CompletableFuture<Session> close = closing.get(s.getMeta().getName());
    if (close != null && (state == SessionState.SESSION_CLOSED
        || state == SessionState.SESSION_TIMEOUT || state == SessionState.SESSION_LOST)) {
      close.complete(s);
    }
  }

  private void failAll(FornaxClientException e) {
    opening.values().forEach(f -> f.completeExceptionally(e));
    closing.values().forEach(f -> f.completeExceptionally(e));
  }

  @Override
  public synchronized void close() {
    if (watch != null) {
      watch.close();
    }
    failAll(new UnavailableException(ErrorCode.UNAVAILABLE, "client closed"));
  }
}
