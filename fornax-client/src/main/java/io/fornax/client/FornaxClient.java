package io.fornax.client;

import io.fornax.api.Nullable;
import io.fornax.api.proto.Consistency;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.WatchRequest;
import io.fornax.client.internal.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Fornax client: one per program, shared by all threads, closed once at the end.
 *
 * <pre>{@code
 * try (FornaxClient fornax = FornaxClient.builder()
 *     .endpoints("127.0.0.1:9881", "127.0.0.1:9882", "127.0.0.1:9883")
 *     .token(System.getenv("FORNAX_TOKEN"))
 *     .build()) {
 *   Session s = fornax.sessions().open("echo");
 *   Endpoint e = s.getStatus().getEndpoints(0);   // host:port of the node's ingress
 *   ...
 *   fornax.sessions().close(s.getMeta().getName());
 * }
 * }</pre>
 *
 * <p>Calls go to any replica and fail over to the next when one is down, partitioned or has no
 * leader; writes are retried safely (opens carry an idempotency key). Reads are linearizable
 * unless {@link #withConsistency} says otherwise. Errors are {@link FornaxClientException}
 * subclasses, thrown by blocking calls and failing the futures of {@code Async} calls.
 */
public final class FornaxClient implements AutoCloseable {
  private final Shared shared;
  private final Calls calls;
  private final Applications applications;
  private final Sessions sessions;
  private final Nodes nodes;
  private final Instances instances;
  private final Tenants tenants;
  private final Cluster cluster;
  private final boolean owner;

  private FornaxClient(Shared shared, String tenant, Consistency consistency, boolean owner) {
    this.shared = shared;
    this.owner = owner;
    this.calls = new Calls(shared.transport, tenant, consistency);
    this.applications = new Applications(calls);
    this.sessions = new Sessions(calls, shared.waiter(calls), shared.sessionWaitTimeout);
    this.nodes = new Nodes(calls);
    this.instances = new Instances(calls);
    this.tenants = new Tenants(calls);
    this.cluster = new Cluster(calls, shared.attemptTimeout);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Applications applications() {
    return applications;
  }

  public Sessions sessions() {
    return sessions;
  }

  public Nodes nodes() {
    return nodes;
  }

  public Instances instances() {
    return instances;
  }

  public Tenants tenants() {
    return tenants;
  }

  public Cluster cluster() {
    return cluster;
  }

  /**
   * A view acting on {@code tenant}'s resources, for an admin token (a tenant token always acts
   * on its own tenant). It shares this client's connections; closing it does nothing.
   */
  public FornaxClient withTenant(String tenant) {
    return new FornaxClient(shared, Objects.requireNonNull(tenant), calls.consistency, false);
  }

  /**
   * A view whose reads use {@code consistency}: {@link Consistency#LOCAL} reads a replica's
   * applied state without a Raft round (cheaper, possibly stale). Shares this client.
   */
  public FornaxClient withConsistency(Consistency consistency) {
    return new FornaxClient(shared, calls.tenant, Objects.requireNonNull(consistency), false);
  }

  /**
   * Watches every change of {@code kind} after {@code fromRevision} (0: from now). Resumes on
   * another replica after a failure and re-lists when the revision was compacted; runs until
   * closed.
   */
  public Watch watch(Kind kind, long fromRevision, WatchListener listener) {
    return watch(kind, "", Map.of(), fromRevision, listener);
  }

  /** A watch narrowed to one name and/or a label selector (empty: no narrowing). */
  public Watch watch(Kind kind, String name, Map<String, String> labelSelector,
      long fromRevision, WatchListener listener) {
    if (fromRevision < 0) {
      throw new IllegalArgumentException("fromRevision must be >= 0 (got " + fromRevision + ")");
    }
    return new Watch(shared.transport, WatchRequest.newBuilder().setKind(kind).setName(name)
        .putAllLabelSelector(labelSelector).setFromRevision(fromRevision)
        .setTenant(calls.tenant).build(), Objects.requireNonNull(listener));
  }

  /** The replica addresses this client was built with. */
  public List<String> endpoints() {
    return shared.transport.endpoints();
  }

  /** Closes connections and watches, failing calls still running. Views do nothing here. */
  @Override
  public void close() {
    if (owner) {
      shared.close();
    }
  }

  /** What a client and its views share. */
  private static final class Shared implements AutoCloseable {
    final Transport transport;
    final Duration sessionWaitTimeout;
    final Duration attemptTimeout;
    final Map<String, SessionWaiter> waiters = new ConcurrentHashMap<>();

    Shared(Transport transport, Duration sessionWaitTimeout, Duration attemptTimeout) {
      this.transport = transport;
      this.sessionWaitTimeout = sessionWaitTimeout;
      this.attemptTimeout = attemptTimeout;
    }

    SessionWaiter waiter(Calls calls) {
      return waiters.computeIfAbsent(calls.tenant, t -> new SessionWaiter(calls));
    }

    @Override
    public void close() {
      waiters.values().forEach(SessionWaiter::close);
      transport.close();
    }
  }

  /** Builds a {@link FornaxClient}; only {@link #endpoints} is required. */
  public static final class Builder {
    private final List<String> endpoints = new ArrayList<>();
    private @Nullable String token;
    private String tenant = "";
    private Consistency consistency = Consistency.LINEARIZABLE;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration attemptTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration sessionWaitTimeout = Duration.ofMinutes(2);

    /** Core API addresses, {@code host:port} each: any replicas of the cluster, best all. */
    public Builder endpoints(String... hostPorts) {
      return endpoints(List.of(hostPorts));
    }

    public Builder endpoints(List<String> hostPorts) {
      for (String ep : hostPorts) {
        endpoints.add(checkEndpoint(ep));
      }
      return this;
    }

    /** The admin token or a tenant's token. */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** For an admin token: the tenant whose resources calls act on (see withTenant). */
    public Builder tenant(String tenant) {
      this.tenant = Objects.requireNonNull(tenant, "tenant");
      return this;
    }

    public Builder consistency(Consistency consistency) {
      this.consistency = Objects.requireNonNull(consistency, "consistency");
      return this;
    }

    /** How long to wait for a TCP connection to a replica (default 2 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long one replica gets to answer before the call moves to the next (default 5 s): what
     * a partitioned replica costs.
     */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = positive(timeout, "attemptTimeout");
      return this;
    }

    /** How long a call may take in all, failovers included (default 30 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** How long {@code open} and {@code close} wait for the session at most (default 2 min). */
    public Builder sessionWaitTimeout(Duration timeout) {
      this.sessionWaitTimeout = positive(timeout, "sessionWaitTimeout");
      return this;
    }

    public FornaxClient build() {
      if (endpoints.isEmpty()) {
        throw new IllegalStateException("endpoints are required (host:port of the replicas)");
      }
      Transport transport = new Transport(endpoints, token, connectTimeout,
          attemptTimeout.compareTo(requestTimeout) > 0 ? requestTimeout : attemptTimeout,
          requestTimeout);
      return new FornaxClient(new Shared(transport, sessionWaitTimeout, attemptTimeout), tenant,
          consistency, true);
    }

    private static String checkEndpoint(String ep) {
      Objects.requireNonNull(ep, "endpoint");
      String e = ep.trim();
      int colon = e.lastIndexOf(':');
      int port;
      try {
        port = colon > 0 ? Integer.parseInt(e.substring(colon + 1)) : -1;
      } catch (NumberFormatException nfe) {
        port = -1;
      }
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("endpoint must be host:port with a port 1..65535 (got \""
            + ep + "\")");
      }
      return e;
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive (got " + d + ")");
      }
      return d;
    }
  }
}
