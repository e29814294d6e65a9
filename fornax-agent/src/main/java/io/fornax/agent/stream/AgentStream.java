package io.fornax.agent.stream;

import io.fornax.api.Futures;
import io.fornax.api.Nullable;
import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.AgentReportRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.NodeAssignment;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.SessionReport;
import io.fornax.client.internal.FornaxConnection;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's stream to the core leader: connects through any replica and follows NOT_LEADER
 * hints, re-sends the node's full state on every connect, hands each assignment to the owner,
 * and carries reports back. Reconnects back off from 100 ms to 5 s and never give up, except
 * during an election or a failover, when they keep a short jittered pace. All
 * methods and callbacks run on the owner's executor; {@link #tick()} must be called
 * periodically (it is the only place that connects: no chain of callbacks to break).
 */
public final class AgentStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentStream.class);
  /**
   * A live replica answers a connect at once (NOT_LEADER) or after two commits (the leader). A
   * frozen one accepts the TCP connection and says nothing: the node must move on well before the
   * leader's node-down timeout (10 s by default).
   */
  private static final long ASSIGNMENT_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(3);
  /**
   * Once the leader has accepted the connect (an empty answer), it is alive, and registering
   * and reconciling the node may take longer under load (a restart with every node coming back):
   * the node waits this long for its assignment before trying again.
   */
  static final long ACCEPTED_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** A live leader answers a heartbeat at once and a report within its commit time. */
  static final long REPORT_DEADLINE_MS = 3_000;

  /** Base wait before asking again while replicas report an election in progress. */
  static final long ELECTION_RETRY_MS = 100;
  static final long MAX_BACKOFF_MS = 5_000;
  /**
   * For this long after losing a leader it was connected to, a node retries at the election pace
   * whatever the answer: the other replicas name the dead leader until their election timeout
   * fires, and a doubling backoff through those stale hints left nodes a second or more behind
   * the new leader (every session on them waited for it).
   */
  static final long FAILOVER_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final String node;
  private final List<String> cores;
  private final String token;
  private final Supplier<AgentConnectRequest> hello;
  private final Consumer<NodeAssignment> onAssignment;
  private final Executor executor;
  private final @Nullable EventLoopGroup group;
  private FornaxConnection connection;
  private String leaderHint;
  /** A replica that just failed to answer: the next attempt goes elsewhere. */
  private @Nullable String avoid;
  private int coreIndex;
  private long backoffMs = 100;
  /** A replica answered but knows no leader: an election is on, retry soon, do not back off. */
  private boolean electing;
  private long nextAttempt = System.nanoTime();
  private long connectedAt;
  /** When this node last lost a leader it had been assigned by; 0 before that ever happened. */
  private long leaderLostAt;
  /** That leader's address, told to replicas until a leader assigns this node again. */
  private String lostLeader = "";
  private boolean assigned;
  /** The leader answered the connect, the assignment is yet to come. */
  private boolean accepted;
  /** A connection attempt is under way (its outcome comes back on the owner's executor). */
  private boolean connecting;
  private boolean closed;

  /**
   * @param hello the connect request: the node spec and everything it runs right now
   * @param group a shared Netty group for many streams, or null for one of its own
   */
  public AgentStream(String node, List<String> cores, String token,
      Supplier<AgentConnectRequest> hello, Consumer<NodeAssignment> onAssignment, Executor executor,
      @Nullable EventLoopGroup group) {
    this.node = node;
    this.cores = cores;
    this.token = token;
    this.hello = hello;
    this.onAssignment = onAssignment;
    this.executor = executor;
    this.group = group;
  }

  /** Connects if not connected and the back-off allows; drops a stream that never got assigned. */
  public void tick() {
    long now = System.nanoTime();
    if (connection != null && !assigned && now - connectedAt
        > (accepted ? ACCEPTED_DEADLINE_NANOS : ASSIGNMENT_DEADLINE_NANOS)) {
      avoid = connection.address();
      disconnected(connection, accepted ? "accepted, but no assignment within 30 s"
          : "no assignment within 3 s");
    }
    if (connection == null && !connecting && !closed && now - nextAttempt >= 0) { // nanoTime may be negative
      connect();
    }
  }

  /** Whether the leader has accepted this node and sent its first assignment. */
  public boolean connected() {
    return connection != null && assigned;
  }

  /**
   * Sends reports (an empty one is the heartbeat); lost ones are covered by the next connect. A
   * report the leader leaves unanswered for {@link #REPORT_DEADLINE_MS}, or answers NOT_LEADER,
   * ends the stream: a frozen or deposed leader keeps its sockets open, and without this the node
   * would stay with it until the new leader declared the node down.
   */
  public void report(List<InstanceReport> instances, List<SessionReport> sessions) {
    FornaxConnection c = connection;
    if (c == null || !assigned) {
      return;
    }
    c.call(Request.newBuilder().setAgentReport(AgentReportRequest.newBuilder().setNode(node)
        .addAllInstances(instances).addAllSessions(sessions)).build())
        .orTimeout(REPORT_DEADLINE_MS, TimeUnit.MILLISECONDS)
        .whenComplete((resp, e) -> {
          if (e != null || (resp.hasError() && resp.getError().getCode() != ErrorCode.OK)) {
            LOG.debug("report of {} not accepted: {}", node,
                e != null ? e.toString() : resp.getError().getMessage());
          }
          if (e instanceof java.util.concurrent.TimeoutException) {
            run(() -> {
              if (c == connection) {
                avoid = c.address();
              }
              disconnected(c, "the leader left a report unanswered for " + REPORT_DEADLINE_MS + " ms");
            });
          } else if (e == null && resp.getError().getCode() == ErrorCode.NOT_LEADER) {
            run(() -> {
              if (c == connection) {
                if (!resp.getError().getLeaderApi().isEmpty()) {
                  leaderHint = resp.getError().getLeaderApi();
                } else {
                  electing = true;
                }
              }
              disconnected(c, "no longer the leader: " + resp.getError().getMessage());
            });
          }
        });
  }

  private void connect() {
    String target = leaderHint != null ? leaderHint : cores.get(coreIndex++ % cores.size());
    if (target.equals(avoid) && cores.size() > 1) {
      target = cores.get(coreIndex++ % cores.size());
    }
    leaderHint = null;
    avoid = null;
    // Without blocking the owner's thread: one thread drives a thousand simulated nodes, and
    // connecting them one after the other after a failover took seconds, long enough for the
    // new leader to declare the last ones NOT_READY (their heartbeats waited on that thread too).
    String to = target;
    int colon = to.lastIndexOf(':');
    try {
      FornaxConnection.connectAsync(to.substring(0, colon),
              Integer.parseInt(to.substring(colon + 1)), token, Duration.ofSeconds(2), group)
          .whenComplete((c, e) -> {
            if (!run(() -> opened(to, c, e)) && c != null) {
              c.close(); // the owner stopped meanwhile
            }
          });
      connecting = true;
    } catch (RuntimeException e) {
      avoid = to;
      retryLater("cannot reach " + to + ": " + e.getMessage());
    }
  }

  private void opened(String target, @Nullable FornaxConnection c, @Nullable Throwable e) {
    connecting = false;
    if (closed) {
      if (c != null) {
        c.close();
      }
      return;
    }
    if (c == null) {
      avoid = target; // a dead leader that a stale hint named: ask another replica next
      retryLater("cannot reach " + target + ": "
          + (e == null ? "?" : Futures.cause(e).getMessage()));
      return;
    }
    connection = c;
    connectedAt = System.nanoTime();
    assigned = false;
    accepted = false;
    c.stream(Request.newBuilder().setAgentConnect(hello.get().toBuilder()
            .setLostLeader(lostLeader)).build(),
        r -> run(() -> onResponse(c, r)),
        err -> run(() -> disconnected(c, "stream closed: " + err.getMessage())));
  }

  private void onResponse(FornaxConnection c, Response r) {
    if (c != connection) {
      return;
    }
    if (r.hasError() && r.getError().getCode() != ErrorCode.OK) {
      if (r.getError().getCode() == ErrorCode.NOT_LEADER) {
        if (!r.getError().getLeaderApi().isEmpty()) {
          leaderHint = r.getError().getLeaderApi();
        } else {
          electing = true;
        }
      }
      disconnected(c, r.getError().getMessage());
      return;
    }
    if (!r.hasAssignment()) {
      accepted = true; // the leader took the connect; the assignment follows its commits
      return;
    }
    if (!assigned) {
      LOG.info("node {} connected to the leader at {}", node, c.address());
    }
    backoffMs = 100;
    assigned = true;
    lostLeader = "";
    onAssignment.accept(r.getAssignment());
  }

  private void disconnected(FornaxConnection c, String why) {
    if (c != connection) {
      return;
    }
    connection = null;
    if (assigned) {
      leaderLostAt = System.nanoTime();
      lostLeader = c.address();
      assigned = false;
    }
    c.close();
    retryLater(why);
  }

  private void retryLater(String why) {
    if (closed) {
      return;
    }
    boolean failingOver = leaderLostAt != 0
        && System.nanoTime() - leaderLostAt < FAILOVER_WINDOW_NANOS;
    long delay = retryDelayMs(leaderHint != null, electing || failingOver, backoffMs,
        ThreadLocalRandom.current().nextLong(ELECTION_RETRY_MS));
    if (leaderHint == null && !electing && !failingOver) {
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
    electing = false;
    LOG.debug("node {} reconnecting in {} ms: {}", node, delay, why);
    nextAttempt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
  }

  /**
   * The wait before the next attempt: none towards a named leader; while a replica reports an
   * election (it answered, knowing no leader), or soon after the leader was lost, a short
   * jittered wait that does not grow, since an election takes about one election timeout and a
   * doubling backoff would leave the node seconds behind the new leader (and jitter keeps a
   * thousand agents out of step); otherwise (unreachable, failing) the current exponential
   * backoff.
   */
  static long retryDelayMs(boolean leaderKnown, boolean electing, long backoffMs, long jitterMs) {
    if (leaderKnown) {
      return 0;
    }
    return electing ? ELECTION_RETRY_MS + jitterMs : backoffMs;
  }

  /** Runs {@code r} on the owner's executor; false if the owner is shutting down. */
  private boolean run(Runnable r) {
    try {
      executor.execute(r);
      return true;
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }
}
