package io.fornax.core.leader;

import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CollectCmd;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.Session;
import java.util.List;
import io.fornax.core.ratis.LeaderListener;
import io.fornax.core.server.CoreBackend;
import io.fornax.core.server.NodeHeartbeats;
import io.fornax.api.proto.NodeTransitionCmd;
import io.fornax.core.state.Table;
import io.fornax.core.state.EventLog;
import io.fornax.scheduler.ClusterSnapshot;
import io.fornax.scheduler.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's scheduling loop: runs only between onLeaderReady and onNotLeader. Each step
 * freezes the applied state, asks the pure scheduler for a plan, and commits it as one command
 * fenced with the leader's term. A plan whose actions partly no longer held is recomputed at
 * once, a bounded number of times. Steps are driven by applied changes and by a tick (time
 * alone can make sessions time out and idle instances expire); under a stream of changes a step
 * starts at most every {@link #STEP_GAP_MS}, so the loop (a copy of the state per step) does not
 * take a core for itself while warm opens, bound as they are applied, do not wait for it.
 */
public final class SchedulerLoop implements LeaderListener, NodeHeartbeats, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerLoop.class);
  private static final Caller LEADER = Caller.newBuilder().setAdmin(true).build();
  static final int MAX_RETRIES = 3;
  private static final long COLLECT_EVERY_MS = 1_000;
  static final long STEP_GAP_MS = 10;

  private final Supplier<CoreBackend> backend;
  private final Scheduler scheduler;
  private final Duration tick;
  private final NodeLiveness liveness;
  private ScheduledExecutorService executor;
  private EventLog.Subscription changes;
  private final AtomicBoolean kicked = new AtomicBoolean();
  private volatile long term;
  private long steps;
  private volatile long lastStepNanos;
  private final Collector collector;
  private long lastCollectMs;
  private volatile Supplier<List<Session>> held = List::of;
  private volatile Supplier<Collection<String>> connecting = List::of;

  public SchedulerLoop(Supplier<CoreBackend> backend, Scheduler scheduler, Duration tick,
      Duration nodeNotReadyAfter, Duration nodeDownAfter, Collector collector) {
    this.backend = backend;
    this.collector = collector;
    this.scheduler = scheduler;
    this.tick = tick;
    this.liveness = new NodeLiveness(nodeNotReadyAfter, nodeDownAfter);
  }

  /** Where plans learn of the warm opens offered and not committed yet (see {@link Snapshots}). */
  public void heldBy(Supplier<List<Session>> offered) {
    this.held = offered;
  }

  /** Where liveness learns of the nodes whose connect is in progress: they count as heard. */
  public void connecting(Supplier<Collection<String>> nodes) {
    this.connecting = nodes;
  }

  /** Whether this replica is leading and its loop running. */
  public boolean isLeading() {
    return term != 0;
  }

  public long term() {
    return term;
  }

  @Override
  public boolean beat(String node) {
    CoreBackend b = backend.get();
    if (term == 0 || b == null) {
      return false;
    }
    liveness.beat(node, b.clock().millis());
    return true;
  }

  @Override
  public synchronized void onLeaderReady(long term) {
    stop();
    CoreBackend b = backend.get();
    liveness.leaderStarted(b != null ? b.clock().millis() : System.currentTimeMillis());
    this.term = term;
    ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(io.fornax.api.Threads.daemon("scheduler-term-" + term));
    executor = ex;
    ex.scheduleWithFixedDelay(this::kick, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void onNotLeader() {
    stop();
  }

  private void stop() {
    if (changes != null) {
      changes.close();
      changes = null;
    }
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
    term = 0;
  }

  /** Coalesces triggers: at most one step queued at a time. */
  private void kick() {
    ScheduledExecutorService ex = executor;
    if (ex != null && !kicked.getAndSet(true)) {
      try {
        long wait = STEP_GAP_MS - (System.nanoTime() - lastStepNanos) / 1_000_000;
        ex.schedule(this::step, Math.max(0, wait), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        kicked.set(false);
      }
    }
  }

  private void step() {
    kicked.set(false);
    lastStepNanos = System.nanoTime();
    CoreBackend b = backend.get();
    long myTerm = term;
    if (b == null || myTerm == 0) {
      return;
    }
    subscribeOnce(b);
    if (!commitNodeTransitions(b, myTerm) || !collectFinished(b, myTerm)) {
      return;
    }
    for (int attempt = 0; attempt <= MAX_RETRIES && !Thread.currentThread().isInterrupted(); attempt++) {
      ClusterSnapshot snapshot = Snapshots.of(b.state(), held.get());
      PlanCmd plan = scheduler.schedule(snapshot, b.clock(), myTerm * 1_000_003L + steps++);
      if (isEmpty(plan)) {
        return;
      }
      CommandResult result;
      try {
        result = b.submit(Command.newBuilder().setNowMs(b.clock().millis()).setCaller(LEADER)
            .setFenceTerm(myTerm).setApplyPlan(plan).build()).get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        LOG.warn("plan of term {} not committed: {}", myTerm, e.toString());
        return;
      }
      if (result.getError().getCode() == ErrorCode.FENCED) {
        LOG.info("plan of term {} fenced: no longer the leader", myTerm);
        return;
      }
      if (result.getPlan().getSkipped() == 0) {
        return;
      }
      LOG.debug("plan skipped {} action(s) ({}); recomputing", result.getPlan().getSkipped(),
          result.getPlan().getSkippedReasonsList());
    }
  }

  /**
   * Commits due liveness transitions; false if this replica was fenced or could not commit.
   * They are submitted together and the group committer carries them in one or a few entries:
   * committed one after the other, the hundreds a new leader can find due while agents
   * reconnect took seconds, during which no plan was made and the verdicts went stale.
   */
  private boolean commitNodeTransitions(CoreBackend b, long myTerm) {
    List<Node> nodes = b.state().list(Table.NODES, "");
    long now = b.clock().millis();
    for (String n : connecting.get()) {
      liveness.beat(n, now);
    }
    List<NodeTransitionCmd> due = liveness.check(nodes, now);
    if (due.isEmpty()) {
      return true;
    }
    List<CompletableFuture<CommandResult>> results = new ArrayList<>(due.size());
    for (NodeTransitionCmd t : due) {
      results.add(b.submit(Command.newBuilder().setNowMs(b.clock().millis()).setCaller(LEADER)
          .setFenceTerm(myTerm).setNodeTransition(t).build()));
    }
    Map<NodeState, Integer> committed = new EnumMap<>(NodeState.class);
    boolean fenced = false;
    for (int i = 0; i < due.size(); i++) {
      NodeTransitionCmd t = due.get(i);
      try {
        CommandResult r = results.get(i).get(30, TimeUnit.SECONDS);
        if (r.getError().getCode() == ErrorCode.FENCED) {
          fenced = true;
          continue;
        }
        committed.merge(t.getState(), 1, Integer::sum);
        if (due.size() <= FEW) {
          LOG.info("node {} is now {}: {}", t.getNode(), t.getState(), t.getReason());
        } else {
          LOG.debug("node {} is now {}: {}", t.getNode(), t.getState(), t.getReason());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception e) {
        LOG.warn("node transition not committed: {}", e.toString());
        return false;
      }
    }
    if (due.size() > FEW) {
      LOG.info("node transitions committed: {}", committed);
    }
    return !fenced;
  }

  /** Up to this many node transitions at once are logged one by one, more as counts. */
  private static final int FEW = 5;

  /**
   * At most once a second, removes finished sessions and instances past their retention;
   * false if this replica was fenced.
   */
  private boolean collectFinished(CoreBackend b, long myTerm) {
    long now = b.clock().millis();
    if (now - lastCollectMs < COLLECT_EVERY_MS) {
      return true;
    }
    lastCollectMs = now;
    int n = collector.batch();
    CollectCmd cmd = b.state().readLive((tables, lifecycle) -> collector.collect(
        lifecycle.oldestFinishedSessions(n), lifecycle.finishedSessionCount(),
        lifecycle.oldestFinishedInstances(n), lifecycle.finishedInstanceCount(), now));
    if (cmd.getSessionsCount() == 0 && cmd.getInstancesCount() == 0) {
      return true;
    }
    try {
      CommandResult r = b.submit(Command.newBuilder().setNowMs(now).setCaller(LEADER)
          .setFenceTerm(myTerm).setCollect(cmd).build()).get(30, TimeUnit.SECONDS);
      if (r.getError().getCode() == ErrorCode.FENCED) {
        return false;
      }
      LOG.debug("collected {} finished session(s) and {} instance(s)", cmd.getSessionsCount(),
          cmd.getInstancesCount());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      LOG.warn("collection not committed: {}", e.toString());
    }
    return true;
  }

  /** Applied changes wake the loop; subscribed lazily so a new leader starts from its state. */
  private synchronized void subscribeOnce(CoreBackend b) {
    if (changes == null && executor != null) {
      changes = b.events().subscribe(0, e -> kick());
    }
  }

  static boolean isEmpty(PlanCmd p) {
    return p.getPlaceCount() == 0 && p.getBindCount() == 0 && p.getTerminateCount() == 0
        && p.getFreezeCount() == 0 && p.getResumeCount() == 0 && p.getTimeoutCount() == 0
        && p.getWaitingCount() == 0 && p.getStatusCount() == 0;
  }

  @Override
  public synchronized void close() {
    stop();
  }
}
