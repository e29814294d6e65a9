package io.fornax.client.internal;

import io.fornax.api.FornaxException;
import io.fornax.api.Nullable;
import io.fornax.api.Threads;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's way to the replicas: one lazily made connection per replica, a preferred replica
 * that moves on when one fails, and retries within a deadline.
 *
 * <p>Every replica serves every call (writes are forwarded to the Raft leader by the replica), so
 * failover only has to skip replicas that are down, partitioned or without a leader. A follower
 * names the leader in its answers, and the client then prefers the leader (if it is one of its
 * endpoints): one hop less for writes, and the leader's warm opens are answered in one commit. A request is
 * retried on another replica when it could not be sent, when its connection was lost, when it got
 * no answer within the attempt timeout, or when the replica answered UNAVAILABLE, TIMEOUT or
 * NOT_LEADER. {@link Outcome#ambiguous()} tells the caller that an earlier attempt may have been
 * carried out, so that it can recognise its own write (see the facets).
 */
public final class Transport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
  private static final long MAX_BACKOFF_MS = 1_000;

  private final List<String> endpoints;
  private final @Nullable String token;
  private final Duration connectTimeout;
  private final Duration attemptTimeout;
  private final Duration requestTimeout;
  private final NioEventLoopGroup group;
  private final ScheduledExecutorService timer;
  private final Map<String, FornaxConnection> connections = new ConcurrentHashMap<>();
  private volatile int preferred;
  private volatile boolean closed;

  /** A final answer (possibly an error response) and whether an earlier try may have run. */
  public record Outcome(Response response, boolean ambiguous) {
    public boolean ok() {
      return !response.hasError() || response.getError().getCode() == ErrorCode.OK;
    }

    public ErrorCode code() {
      return response.hasError() ? response.getError().getCode() : ErrorCode.OK;
    }
  }

  public Transport(List<String> endpoints, @Nullable String token, Duration connectTimeout,
      Duration attemptTimeout, Duration requestTimeout) {
    this.endpoints = List.copyOf(endpoints);
    this.token = token;
    this.connectTimeout = connectTimeout;
    this.attemptTimeout = attemptTimeout;
    this.requestTimeout = requestTimeout;
    this.group = new NioEventLoopGroup(1, Threads.daemon("fornax-client-io"));
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(2,
        Threads.daemon("fornax-client-retry"));
    t.setRemoveOnCancelPolicy(true); // a wait's timeout is cancelled when the wait ends
    this.timer = t;
  }

  public List<String> endpoints() {
    return endpoints;
  }

  /** How long one replica gets to answer before a call moves on. */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * Runs {@code task} after {@code delayMs} on the client's timer (never on the I/O thread).
   * Returns the scheduled task (cancelling removes it at once), or null once the client closed.
   */
  public @Nullable ScheduledFuture<?> schedule(Runnable task, long delayMs) {
    return closed ? null : timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Sends {@code request} with failover until it gets a final answer or the request timeout
   * passes. Completes with the answer, errors included; exceptionally only with UNAVAILABLE when
   * no replica answered in time.
   */
  public CompletableFuture<Outcome> call(Request request) {
    CompletableFuture<Outcome> out = new CompletableFuture<>();
    long deadline = System.nanoTime() + requestTimeout.toNanos();
    Attempt a = new Attempt(deadline);
    FornaxConnection c = connections.get(current());
    if (c != null && c.isOpen()) {
      attempt(request, a, null, out); // connected: nothing here blocks
    } else {
      timer.execute(() -> attempt(request, a, null, out));
    }
    return out;
  }

  /**
   * The connection to the preferred replica, or to the next one that can be reached. Blocks while
   * connecting: never call it on the I/O thread.
   *
   * @throws FornaxException UNAVAILABLE if no replica can be reached
   */
  public FornaxConnection anyConnection() {
    FornaxException last = null;
    for (int i = 0; i < endpoints.size(); i++) {
      String ep = endpoints.get(Math.floorMod(preferred + i, endpoints.size()));
      try {
        return connection(ep);
      } catch (FornaxException e) {
        last = e;
      }
    }
    throw new FornaxException(ErrorCode.UNAVAILABLE, "no replica reachable at " + endpoints
        + (last == null ? "" : " (last: " + last.getMessage() + ")"));
  }

  /** A connection to {@code endpoint} (not necessarily one of the configured endpoints). */
  public FornaxConnection connection(String endpoint) {
    if (closed) {
      throw new FornaxException(ErrorCode.UNAVAILABLE, "client closed");
    }
    FornaxConnection c = connections.get(endpoint);
    if (c != null && c.isOpen()) {
      return c;
    }
    synchronized (this) {
      c = connections.get(endpoint);
      if (c != null && c.isOpen()) {
        return c;
      }
      int colon = endpoint.lastIndexOf(':');
      FornaxConnection made = FornaxConnection.connect(endpoint.substring(0, colon),
          Integer.parseInt(endpoint.substring(colon + 1)), token, connectTimeout, group);
      connections.put(endpoint, made);
      return made;
    }
  }

  /** Moves the preferred replica past {@code failed}, unless another call moved it already. */
  public void skip(String failed) {
    int i = endpoints.indexOf(failed);
    if (i >= 0 && i == preferred) {
      preferred = (i + 1) % endpoints.size();
    }
  }

  /**
   * Prefers the leader a replica named ({@code leaderApi}, empty if none) when it is one of the
   * configured endpoints: writes reach it without the forwarding hop, and reads there need no
   * round trip to learn the commit index. Failover moves the preference on as before.
   */
  private void follow(String leaderApi) {
    if (!leaderApi.isEmpty()) {
      int i = endpoints.indexOf(leaderApi);
      if (i >= 0) {
        preferred = i;
      }
    }
  }

  private String current() {
    return endpoints.get(preferred);
  }

  private void attempt(Request request, Attempt a, @Nullable String target,
      CompletableFuture<Outcome> out) {
    if (closed) {
      out.completeExceptionally(new FornaxException(ErrorCode.UNAVAILABLE, "client closed"));
      return;
    }
    String ep = target != null ? target : current();
    FornaxConnection c;
    try {
      c = connection(ep);
    } catch (FornaxException e) {
      skip(ep);
      retry(request, a, null, out, e.getMessage(), false); // nothing was sent
      return;
    }
    long timeoutMs = Math.max(1, Math.min(attemptTimeout.toMillis(), a.remainingMs()));
    c.call(request).orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
      if (e != null) {
        skip(ep);
        String why = e instanceof java.util.concurrent.TimeoutException
            ? "no answer from " + ep + " within " + timeoutMs + " ms" : String.valueOf(
                e instanceof FornaxException fe ? fe.getMessage() : e);
        retry(request, a, null, out, why, true);
        return;
      }
      ErrorCode code = r.hasError() ? r.getError().getCode() : ErrorCode.OK;
      switch (code) {
        case NOT_LEADER -> {
          String leader = r.getError().getLeaderApi();
          if (leader.isEmpty()) {
            skip(ep);
          }
          follow(leader);
          retry(request, a, leader.isEmpty() ? null : leader, out, r.getError().getMessage(),
              false);
        }
        case UNAVAILABLE, TIMEOUT -> {
          skip(ep);
          retry(request, a, null, out, ep + ": " + r.getError().getMessage(), true);
        }
        default -> {
          follow(r.getLeaderApi());
          out.complete(new Outcome(r, a.ambiguous));
        }
      }
    });
  }

  private void retry(Request request, Attempt a, @Nullable String target,
      CompletableFuture<Outcome> out, String why, boolean mayHaveRun) {
    a.tries++;
    a.ambiguous |= mayHaveRun;
    long backoff = a.tries <= endpoints.size() ? 0
        : Math.min(MAX_BACKOFF_MS, 25L << Math.min(10, a.tries - endpoints.size()));
    if (a.remainingMs() <= backoff || closed) {
      out.completeExceptionally(new FornaxException(ErrorCode.UNAVAILABLE,
          "no replica answered within " + requestTimeout.toMillis() + " ms (" + a.tries
              + " tries; last: " + why + ")"));
      return;
    }
    LOG.debug("retrying {} in {} ms: {}", request.getBodyCase(), backoff, why);
    timer.schedule(() -> attempt(request, a, target, out), backoff, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    closed = true;
    connections.values().forEach(FornaxConnection::close);
    connections.clear();
    timer.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** One call's retry state. */
  private static final class Attempt {
    final long deadlineNanos;
    int tries;
    boolean ambiguous;

    Attempt(long deadlineNanos) {
      this.deadlineNanos = deadlineNanos;
    }

    long remainingMs() {
      return (deadlineNanos - System.nanoTime()) / 1_000_000;
    }
  }
}
