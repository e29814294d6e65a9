package io.fornax.core.leader;

import io.fornax.api.FornaxException;
import io.fornax.api.Futures;
import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.AgentReportRequest;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.CloseSessionCmd;
import io.fornax.api.proto.ClusterStatus;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceAssignment;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeAssignment;
import io.fornax.api.proto.NodeReportCmd;
import io.fornax.api.proto.RegisterNodeCmd;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionAssignment;
import io.fornax.api.proto.SessionReport;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.ReservedInstance;
import io.fornax.api.Nullable;
import io.fornax.core.command.Reports;
import io.fornax.core.server.AgentStreams;
import io.fornax.core.server.CoreBackend;
import io.fornax.core.server.NotLeader;
import io.fornax.core.server.Stamps;
import io.fornax.core.state.ChangeEvent;
import io.fornax.core.state.EventLog;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.Table;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's end of the agent streams. On connect it registers the node, reconciles with what
 * the agent runs (instances the core expects but the agent lacks fail; the agent drops what the
 * core does not list), and from then on pushes the node's whole desired state whenever an
 * applied change touches the node. Level-triggered: a lost push or a reconnect to a new leader
 * needs no replay, the next assignment says everything.
 */
public final class AgentGateway implements AgentStreams, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentGateway.class);
  private static final Caller LEADER = Caller.newBuilder().setAdmin(true).build();
  /** What a reconnect that changes nothing waits for instead of a commit. */
  private static final CompletableFuture<CommandResult> NOTHING =
      CompletableFuture.completedFuture(CommandResult.getDefaultInstance());
  /** How long an agent's connect waits on a replica for an election to end. */
  static final long LEADER_WAIT_MS = 2_000;
  /**
   * How long the agent of a reserved instance has to open a warm open's session (or close a
   * session) before it is proposed the ordinary way (an open under a fresh name: the agent drops
   * the offered one). Long enough for instances that take a few seconds to accept a session
   * (they would otherwise open it twice), short of the client's 5 s attempt timeout.
   */
  static final long OFFER_WAIT_MS = 3_000;

  private final Supplier<CoreBackend> backend;
  private final SchedulerLoop loop;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final ExecutorService pusher = Executors.newSingleThreadExecutor(io.fornax.api.Threads.daemon("agent-gateway"));
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicBoolean drainQueued =
      new java.util.concurrent.atomic.AtomicBoolean();
  // node -> keys of its instances that may still run: a superset (desired() re-reads each), so
  // a push costs the node's instances, not the cluster's.
  private final Map<String, Set<String>> instancesByNode = new ConcurrentHashMap<>();
  private final AgentOffers offers = new AgentOffers();
  /** Connects in progress by node (a node may have a second one while the first finishes). */
  private final Map<String, Integer> connecting = new ConcurrentHashMap<>();
  private volatile EventLog.Subscription changes;
  private final AtomicReference<CompletableFuture<Void>> leaderChange =
      new AtomicReference<>(new CompletableFuture<>());

  public AgentGateway(Supplier<CoreBackend> backend, SchedulerLoop loop) {
    this.backend = backend;
    this.loop = loop;
    loop.heldBy(offers::offered);
    loop.connecting(this::connecting);
  }

  private record Stream(long requestId, Channel channel) {}

  @Override
  public CompletableFuture<Response> connect(long requestId, AgentConnectRequest req, Channel channel) {
    CoreBackend b = backend.get();
    String node = req.getNode().getMeta().getName();
    if (!loop.isLeading() || b == null) {
      return notLeader(b, req.getLostLeader());
    }
    // Heard from now, and counted as heard from until its connect is done: its registration and
    // report may wait behind a thousand others' commits after a restart or failover, and a node
    // that is connecting must not be declared NOT_READY, let alone DOWN, meanwhile.
    loop.beat(node);
    connecting.merge(node, 1, Integer::sum);
    CompletableFuture<Response> done;
    try {
      done = accept(b, node, requestId, req, channel);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    return done.whenComplete((r, e) -> connecting.computeIfPresent(node,
        (n, c) -> c > 1 ? c - 1 : null));
  }

  private CompletableFuture<Response> accept(CoreBackend b, String node, long requestId,
      AgentConnectRequest req, Channel channel) {
    // Accepted: an empty answer tells the agent this leader is alive, so it waits for the
    // assignment however long the commits take instead of dropping the stream after 3 s.
    channel.writeAndFlush(Response.newBuilder().setId(requestId).build());
    subscribe(b);
    // After a failover every agent reconnects at once with what it had told the old leader: a
    // registration that changes nothing and a report of no-ops are not proposed (a thousand
    // commits that change nothing delayed the first writes and sessions of the new leader).
    // The report goes right behind the registration, not after it: the group committer keeps
    // the order, and each agent waits for one commit instead of two in a row.
    ResourceState state = b.state();
    CompletableFuture<CommandResult> register = isRegistered(state, req.getNode()) ? NOTHING
        : b.submit(command(b).setRegisterNode(RegisterNodeCmd.newBuilder().setNode(
            req.getNode().toBuilder().setMeta(req.getNode().getMeta().toBuilder()
                .setUid(UUID.randomUUID().toString()).setTenant("")).clearStatus())).build());
    NodeReportCmd reconciled = Reports.withoutNoOps(state,
        reconcile(state, node, instancesByNode.getOrDefault(node, Set.of()), req));
    CompletableFuture<CommandResult> report = Reports.isEmpty(reconciled) ? NOTHING
        : b.submit(command(b).setNodeReport(reconciled).build());
    return register.thenCompose(r -> check(r))
        .thenCombine(report, (registered, reported) -> reported)
        .thenApply(r -> {
          loop.beat(node);
          Stream s = new Stream(requestId, channel);
          Stream old = streams.put(node, s);
          if (old != null && old.channel() != channel) {
            old.channel().close();
          }
          channel.closeFuture().addListener(f -> streams.remove(node, s));
          LOG.info("agent of node {} connected ({} instance(s) reported)", node,
              req.getInstancesCount());
          push(node);
          return (Response) null;
        });
  }

  /** Nodes whose connect this leader has accepted and not finished (each counted once). */
  Collection<String> connecting() {
    return connecting.keySet();
  }

  /**
   * NOT_LEADER with the leader's address. While no leader is known (an election), or this
   * replica is the elected leader but not ready yet, or it still names the leader the node lost
   * ({@code lostLeader}: this replica's election timeout has not fired yet), the answer waits
   * for the next change of leadership (at most {@link #LEADER_WAIT_MS}): each node then asks
   * once per election instead of polling a dead leader, and learns the new leader as soon as
   * this replica does.
   */
  private CompletableFuture<Response> notLeader(CoreBackend b, String lostLeader) {
    CompletableFuture<Void> change = leaderChange.get(); // before the look: no change is missed
    Response now = NotLeader.response(b, "agent streams");
    boolean stale = !lostLeader.isEmpty() && lostLeader.equals(now.getError().getLeaderApi());
    if (b == null || !(stale || electing(b.clusterStatus()))) {
      return CompletableFuture.completedFuture(now);
    }
    return change.copy().completeOnTimeout(null, LEADER_WAIT_MS, TimeUnit.MILLISECONDS)
        .thenApplyAsync(x -> NotLeader.response(backend.get(), "agent streams"), pusher);
  }

  private static boolean electing(ClusterStatus s) {
    return s.getLeader().isEmpty() || s.getLeader().equals(s.getServedBy());
  }

  /** The leader changed as this replica sees it, or this replica became ready to lead. */
  public void leaderChanged() {
    leaderChange.getAndSet(new CompletableFuture<>()).complete(null);
  }

  @Override
  public CompletableFuture<Response> report(AgentReportRequest req) {
    CoreBackend b = backend.get();
    if (!loop.isLeading() || b == null) {
      return CompletableFuture.completedFuture(NotLeader.response(b, "agent reports"));
    }
    loop.beat(req.getNode());
    req = withoutAnswers(req);
    if (req.getInstancesCount() == 0 && req.getSessionsCount() == 0) {
      return CompletableFuture.completedFuture(Response.newBuilder().build());
    }
    // Answered once proposed, not once committed. The agent's deadline on this answer detects a
    // frozen or deposed leader; under load a commit can take longer than that deadline, and
    // agents then dropped a live leader, reconnected, missed heartbeats and flapped NOT_READY.
    // Proposals keep their order. Should this one not commit, the node's stream is closed: its
    // agent reconnects with its full state, as it did when a report went unanswered.
    String node = req.getNode();
    b.submit(command(b).setNodeReport(NodeReportCmd.newBuilder().setNode(node)
            .addAllInstances(req.getInstancesList()).addAllSessions(req.getSessionsList())).build())
        .thenCompose(AgentGateway::check)
        .whenComplete((r, e) -> {
          if (e != null) {
            LOG.warn("report of node {} not committed, closing its stream: {}", node,
                Futures.cause(e).toString());
            Stream st = streams.get(node);
            if (st != null) {
              st.channel().close();
            }
          }
        });
    return CompletableFuture.completedFuture(Response.newBuilder().build());
  }

  /** {@code req} without the session reports that answer warm-open offers ({@link AgentOffers}). */
  private AgentReportRequest withoutAnswers(AgentReportRequest req) {
    if (req.getSessionsCount() == 0 || offers.size() == 0) {
      return req;
    }
    List<SessionReport> rest = new ArrayList<>(req.getSessionsCount());
    for (SessionReport r : req.getSessionsList()) {
      if (!offers.answer(req.getNode(), r)) {
        rest.add(r);
      }
    }
    return rest.size() == req.getSessionsCount() ? req
        : req.toBuilder().clearSessions().addAllSessions(rest).build();
  }

  /**
   * A warm open in one commit ({@link AgentOffers}): if this replica leads and an instance of the
   * application idles on a node whose agent is connected, the session is offered to that agent
   * first, and {@code open} is proposed once the agent answers, bound there and AVAILABLE. An
   * agent that reports the session LOST or does not answer within {@link #OFFER_WAIT_MS} has the
   * open proposed as an ordinary one, under a fresh name. Null when there is no such instance (or
   * the idempotency key is already known): then the caller proposes {@code open} itself.
   */
  @Override
  public @Nullable CompletableFuture<CommandResult> openOnIdleInstance(Command open) {
    CoreBackend b = backend.get();
    if (!loop.isLeading() || b == null) {
      return null;
    }
    Session s = open.getOpenSession().getSession();
    String tenant = s.getMeta().getTenant();
    String key = s.getSpec().getIdempotencyKey();
    ResourceState state = b.state();
    if (!key.isEmpty() && state.get(Table.IDEMPOTENCY, Table.IDEMPOTENCY.key(tenant, key)) != null) {
      return null; // a retry: apply answers with the first session
    }
    Application app = state.get(Table.APPLICATIONS,
        Table.APPLICATIONS.key(tenant, s.getSpec().getApplication()));
    if (app == null) {
      return null;
    }
    AgentOffers.Offer offer = offers.reserve(state, s, app, streams::containsKey);
    if (offer == null) {
      return null;
    }
    // Committed where it was offered, the change's own push tells the agent; otherwise (a fresh
    // name, another instance, a failure) the agent must learn that the offered session is gone.
    return proposeOnAnswer(b, offer, answer -> answered(open, offer, answer, b.clock().millis()),
        r -> r.hasResource()
            && r.getResource().getSession().getMeta().getName().equals(s.getMeta().getName())
            && r.getResource().getSession().getStatus().getInstance().equals(offer.instance()));
  }

  /**
   * A close in one commit ({@link AgentOffers}): if this replica leads and the session is open on
   * a node whose agent is connected, the agent is told to close it first, and {@code close} is
   * proposed once the agent confirms, saying so ({@code closed_on}): CLOSED in that entry. An
   * agent that does not answer within {@link #OFFER_WAIT_MS} has {@code close} proposed as it
   * is (CLOSING until the agent's report). Null when this does not apply.
   */
  @Override
  public @Nullable CompletableFuture<CommandResult> closeOnAgent(Command close) {
    CoreBackend b = backend.get();
    if (!loop.isLeading() || b == null) {
      return null;
    }
    CloseSessionCmd c = close.getCloseSession();
    Session s = b.state().get(Table.SESSIONS, Table.SESSIONS.key(c.getTenant(), c.getName()));
    if (s == null || s.getStatus().getInstance().isEmpty()
        || (s.getStatus().getState() != SessionState.SESSION_AVAILABLE
            && s.getStatus().getState() != SessionState.SESSION_IN_USE)
        || !streams.containsKey(s.getStatus().getNode())) {
      return null;
    }
    AgentOffers.Offer offer = offers.offerClose(s);
    if (offer == null) {
      return null;
    }
    // Committed (CLOSED, or CLOSING the ordinary way), the change's own push tells the agent.
    return proposeOnAnswer(b, offer, answer -> {
      Command.Builder proposed = close.toBuilder();
      if (answer != null && (answer.getState() == SessionState.SESSION_CLOSED
          || answer.getState() == SessionState.SESSION_LOST)) {
        proposed.getCloseSessionBuilder().setClosedOn(offer.instance());
      }
      return proposed.build();
    }, r -> true);
  }

  /**
   * Tells {@code offer}'s agent, waits for its answer (null after {@link #OFFER_WAIT_MS}),
   * proposes what {@code proposal} makes of it, and ends the offer once that is committed. The
   * node's assignment is pushed again if the proposal failed or did not {@code land} where it
   * was offered (a landed commit's applied change pushes it).
   */
  private CompletableFuture<CommandResult> proposeOnAnswer(CoreBackend b, AgentOffers.Offer offer,
      Function<SessionReport, Command> proposal, Predicate<CommandResult> landed) {
    markDirty(offer.node());
    long offered = System.nanoTime();
    long[] answeredAt = new long[1];
    return offer.answer()
        .completeOnTimeout(null, OFFER_WAIT_MS, TimeUnit.MILLISECONDS)
        .thenCompose(answer -> {
          answeredAt[0] = System.nanoTime();
          return b.submit(proposal.apply(answer));
        })
        .whenComplete((r, e) -> {
          offers.release(offer);
          if (e != null || !landed.test(r)) {
            markDirty(offer.node());
          }
          if (LOG.isDebugEnabled()) {
            LOG.debug("offer of {} on {}: agent answered in {} µs, committed {} µs later{}",
                offer.sessionKey(), offer.instance(), (answeredAt[0] - offered) / 1_000,
                (System.nanoTime() - answeredAt[0]) / 1_000, e != null ? " (failed: " + e + ")" : "");
          }
        });
  }

  /**
   * The open to propose once an offer ended: reserved on the offered instance if the agent
   * opened it, else an ordinary open of a session with a fresh name (the agent may still open the
   * offered one; that name never reaches the state, so it is dropped).
   */
  static Command answered(Command open, AgentOffers.Offer offer, @Nullable SessionReport answer,
      long nowMs) {
    Command.Builder c = open.toBuilder();
    if (answer != null && answer.getState() == SessionState.SESSION_AVAILABLE) {
      c.getOpenSessionBuilder().setReserved(ReservedInstance.newBuilder()
          .setInstance(offer.instance()).addAllEndpoints(answer.getEndpointsList())
          .setAvailableAtMs(nowMs));
    } else {
      c.getOpenSessionBuilder().getSessionBuilder().getMetaBuilder()
          .setName(Stamps.sessionName()).setUid(UUID.randomUUID().toString());
    }
    return c.build();
  }

  /**
   * Whether registering {@code requested} would change nothing but timestamps: the node is
   * known, alive (READY, or DRAINING by the operator's flag, which registration keeps) and has
   * the same spec and labels. A silent or DOWN node is registered again to come back at once.
   */
  static boolean isRegistered(ResourceState state, Node requested) {
    Node stored = state.get(Table.NODES, requested.getMeta().getName());
    if (stored == null) {
      return false;
    }
    return NodeLiveness.isAlive(stored.getStatus().getState())
        && stored.getMeta().getLabelsMap().equals(requested.getMeta().getLabelsMap())
        && stored.getSpec().equals(requested.getSpec().toBuilder()
            .setUnschedulable(stored.getSpec().getUnschedulable()).build());
  }

  private Command.Builder command(CoreBackend b) {
    return Command.newBuilder().setNowMs(b.clock().millis()).setCaller(LEADER)
        .setFenceTerm(loop.term());
  }

  private static CompletableFuture<CommandResult> check(CommandResult r) {
    return r.getError().getCode() == ErrorCode.OK ? CompletableFuture.completedFuture(r)
        : CompletableFuture.failedFuture(FornaxException.fromProto(r.getError()));
  }

  /**
   * The agent's full report plus every instance the core expects running there that it lacks.
   * {@code candidates} names the node's instances (a superset, each re-read): on a failover a
   * thousand agents reconnect at once, and a scan of every instance per agent was quadratic.
   */
  static NodeReportCmd reconcile(ResourceState state, String node, Set<String> candidates,
      AgentConnectRequest req) {
    Set<String> has = new HashSet<>();
    for (InstanceReport i : req.getInstancesList()) {
      has.add(i.getTenant() + "/" + i.getName());
    }
    NodeReportCmd.Builder cmd = NodeReportCmd.newBuilder().setNode(node)
        .addAllInstances(req.getInstancesList()).addAllSessions(req.getSessionsList());
    for (String key : new java.util.TreeSet<>(candidates)) {
      Instance i = state.get(Table.INSTANCES, key);
      if (i == null) {
        continue;
      }
      InstanceState st = i.getState();
      boolean started = st == InstanceState.INSTANCE_CREATING || st == InstanceState.INSTANCE_READY
          || st == InstanceState.INSTANCE_ALLOCATED || st == InstanceState.INSTANCE_STANDBY;
      if (i.getNode().equals(node) && started
          && !has.contains(i.getMeta().getTenant() + "/" + i.getMeta().getName())) {
        cmd.addMissing(InstanceReport.newBuilder().setTenant(i.getMeta().getTenant())
            .setName(i.getMeta().getName()));
      }
    }
    return cmd.build();
  }

  private synchronized void subscribe(CoreBackend b) {
    if (changes == null) {
      changes = b.events().subscribe(0, this::changed);
      // Subscribed first: an instance created from now on comes as an event, older ones are
      // in the state read here.
      for (Instance i : b.state().<Instance>list(Table.INSTANCES, "")) {
        index(i);
      }
    }
  }

  private void index(Instance i) {
    if (!i.getNode().isEmpty() && !gone(i)) {
      instancesByNode.computeIfAbsent(i.getNode(), n -> ConcurrentHashMap.newKeySet())
          .add(Table.INSTANCES.key(i.getMeta().getTenant(), i.getMeta().getName()));
    }
  }

  private static boolean gone(Instance i) {
    return i.getState() == InstanceState.INSTANCE_TERMINATED
        || i.getState() == InstanceState.INSTANCE_FAILED;
  }

  private void changed(ChangeEvent e) {
    if (e.kind() == Kind.INSTANCE) {
      index(e.resource().getInstance());
      dirty.add(e.resource().getInstance().getNode());
    } else if (e.kind() == Kind.SESSION) {
      dirty.add(e.resource().getSession().getStatus().getNode());
    } else {
      return;
    }
    drainSoon();
  }

  /** Pushes {@code node}'s assignment again soon, on the pusher thread like every push. */
  private void markDirty(String node) {
    dirty.add(node);
    drainSoon();
  }

  private void drainSoon() {
    // One drain queued at a time: events that arrive before it runs only mark their nodes.
    if (drainQueued.compareAndSet(false, true)) {
      try {
        pusher.execute(this::pushDirty);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        drainQueued.set(false);
      }
    }
  }

  private void pushDirty() {
    drainQueued.set(false); // from here on, a new event queues the next drain
    for (String n : Set.copyOf(dirty)) {
      dirty.remove(n);
      push(n);
    }
  }

  private void push(String node) {
    Stream s = streams.get(node);
    CoreBackend b = backend.get();
    if (s == null || b == null || !s.channel().isActive()) {
      return;
    }
    Set<String> keys = instancesByNode.getOrDefault(node, Set.of());
    s.channel().writeAndFlush(Response.newBuilder().setId(s.requestId())
        .setRevision(b.state().appliedIndex())
        .setAssignment(desired(b.state(), node, keys, offers.offeredTo(node))).build());
  }

  /**
   * What node {@code node} should run now, from the instances named by {@code keys} (a
   * superset: each is re-read; finished, moved and deleted ones are dropped from it), plus the
   * sessions {@code offered} to it by warm opens that the state does not hold yet, and with the
   * close flag on the sessions whose close is offered to it.
   */
  static NodeAssignment desired(ResourceState state, String node, Set<String> keys,
      List<SessionAssignment> offered) {
    NodeAssignment.Builder a = NodeAssignment.newBuilder().setRevision(state.appliedIndex());
    Map<String, SessionAssignment> closing = new java.util.HashMap<>();
    for (SessionAssignment o : offered) {
      if (o.getClose()) {
        closing.put(Table.SESSIONS.key(o.getSession().getMeta().getTenant(),
            o.getSession().getMeta().getName()), o);
      }
    }
    for (String key : keys) {
      Instance i = state.get(Table.INSTANCES, key);
      if (i == null || !i.getNode().equals(node) || gone(i)) {
        keys.remove(key);
        continue;
      }
      Application app = state.get(Table.APPLICATIONS,
          Table.APPLICATIONS.key(i.getMeta().getTenant(), i.getApplication()));
      a.addInstances(InstanceAssignment.newBuilder().setInstance(i)
          .setSpec(app == null ? io.fornax.api.proto.ApplicationSpec.getDefaultInstance() : app.getSpec())
          .setFrozen(i.getState() == InstanceState.INSTANCE_STANDBY)
          .setTerminate(i.getState() == InstanceState.INSTANCE_TERMINATING || app == null));
      for (String name : i.getSessionsList()) {
        Session s = state.get(Table.SESSIONS, Table.SESSIONS.key(i.getMeta().getTenant(), name));
        if (s != null) {
          a.addSessions(closing.getOrDefault(Table.SESSIONS.key(i.getMeta().getTenant(), name),
              SessionAssignment.newBuilder().setSession(s)
                  .setClose(s.getStatus().getState() == SessionState.SESSION_CLOSING).build()));
        }
      }
    }
    for (SessionAssignment o : offered) {
      Session s = o.getSession();
      if (!o.getClose() && state.get(Table.SESSIONS, Table.SESSIONS.key(s.getMeta().getTenant(),
          s.getMeta().getName())) == null) {
        a.addSessions(o);
      }
    }
    return a.build();
  }

  /** Stepping down: agents must find the new leader, which rebuilds everything from the state. */
  public synchronized void dropAll() {
    offers.giveUpAll();
    streams.values().forEach(s -> s.channel().close());
    streams.clear();
    connecting.clear(); // the next term counts its own connects
    // A follower may install a snapshot (no events): the next leadership re-seeds the index.
    if (changes != null) {
      changes.close();
      changes = null;
    }
    instancesByNode.clear();
  }

  public boolean connected(String node) {
    return streams.containsKey(node);
  }

  @Override
  public void close() {
    if (changes != null) {
      changes.close();
    }
    streams.values().forEach(s -> s.channel().close());
    pusher.shutdownNow();
  }
}
