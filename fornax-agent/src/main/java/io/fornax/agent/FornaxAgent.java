package io.fornax.agent;

import io.fornax.agent.adoption.InstanceRecord;
import io.fornax.agent.adoption.InstanceRecords;
import io.fornax.agent.ingress.Ingress;
import io.fornax.agent.runtime.Adoption;
import io.fornax.agent.runtime.InstanceRuntime;
import io.fornax.agent.runtime.InstanceSpec;
import io.fornax.agent.runtime.RunningInstance;
import io.fornax.agent.session.SessionServer;
import io.fornax.agent.stream.AgentStream;
import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.AgentReportRequest;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Endpoint;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.InstanceAssignment;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeAssignment;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PortRange;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.SessionAssignment;
import io.fornax.api.proto.SessionReport;
import io.fornax.api.proto.SessionState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent. Keeps one stream to the leader (found through any core replica, reconnecting
 * with back-off forever), receives the node's desired state and reconciles towards it: starts,
 * freezes, resumes and terminates instances, opens and closes sessions through the session
 * server and the ingress, and reports every change. All reconciliation runs on one thread.
 * Instances outlive the agent: each has a record in the data dir, and a restarted agent
 * re-adopts the live ones (same pid, same sessions on the same ingress ports) before it
 * connects, and cleans up the rest.
 */
public final class FornaxAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FornaxAgent.class);

  private final AgentConfig config;
  private final InstanceRuntime processRuntime;
  private final InstanceRuntime ociRuntime;
  private final String token;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(io.fornax.api.Threads.daemon("agent"));
  private final Map<String, LocalInstance> instances = new ConcurrentHashMap<>();
  private final List<InstanceReport> pendingInstances = new ArrayList<>();
  private final List<SessionReport> pendingSessions = new ArrayList<>();
  private final SessionServer sessions;
  private final Ingress ingress;
  private final AgentStream stream;
  private final InstanceRecords records;
  private NodeAssignment desired = NodeAssignment.getDefaultInstance();
  private volatile boolean closed;

  public FornaxAgent(AgentConfig config, InstanceRuntime runtime) throws IOException {
    this(config, runtime, null);
  }

  /** @param ociRuntime null if this node has no OCI runtime binary */
  public FornaxAgent(AgentConfig config, InstanceRuntime processRuntime,
      @io.fornax.api.Nullable InstanceRuntime ociRuntime) throws IOException {
    this.config = config;
    this.processRuntime = processRuntime;
    this.ociRuntime = ociRuntime;
    this.token = Files.readString(Path.of(config.tokenFile)).trim();
    this.sessions = new SessionServer((i, s, why) -> onLoop(() -> sessionLost(i, s, why)),
        config.sessionHeartbeatTimeout);
    this.ingress = new Ingress(config.address, config.ingressPorts.from, config.ingressPorts.to);
    this.records = new InstanceRecords(Path.of(config.dataDir, "instances"));
    this.stream = new AgentStream(config.node, config.cores, token,
        () -> AgentConnectRequest.newBuilder().setNode(node()).addAllInstances(fullState())
            .addAllSessions(openSessions()).build(),
        a -> {
          desired = a;
          reconcile();
        }, this::onLoop, null);
  }

  public FornaxAgent start() throws InterruptedException, IOException {
    Path dir = Path.of(config.dataDir, "instances");
    Files.createDirectories(dir);
    // Before the session server listens (re-adopted instances reconnect to it at once) and
    // before the core hears from us (the connect request lists what we run).
    Set<Path> adopted = new HashSet<>();
    for (InstanceRecord r : records.load()) {
      adopt(r).ifPresent(li -> adopted.add(records.dir(li.instance.getMeta().getTenant(),
          li.instance.getMeta().getName())));
    }
    OrphanReaper.reap(dir, adopted, ociRuntime == null ? List.of(processRuntime)
        : List.of(processRuntime, ociRuntime));
    sessions.start("127.0.0.1", config.sessionServerPort, Path.of(config.dataDir, "session-server.port"));
    loop.execute(() -> instances.values().stream().filter(li -> !li.ready).forEach(li ->
        awaitReady(li, false, System.nanoTime() + TimeUnit.SECONDS.toNanos(60))));
    loop.scheduleWithFixedDelay(guarded(stream::tick), 0, 200, TimeUnit.MILLISECONDS);
    loop.scheduleWithFixedDelay(guarded(this::heartbeat), 1, 1, TimeUnit.SECONDS);
    return this;
  }

  /**
   * Takes over the instance a previous agent run recorded, if its process still lives; reports
   * it FAILED otherwise. Its open sessions get their ingress ports back, and wait for it to
   * reconnect to the session server.
   */
  private java.util.Optional<LocalInstance> adopt(InstanceRecord r) {
    Adoption a;
    try {
      a = runtimeFor(r.runtime()).adopt(r.name(), r.pid(), r.startTime(),
          records.dir(r.tenant(), r.name()), r.frozen());
    } catch (IOException e) {
      a = Adoption.gone(e.getMessage());
    }
    if (a.instance() == null) {
      LOG.info("instance {}/{} of the previous agent run not re-adopted: {}", r.tenant(), r.name(),
          a.reason());
      pendingInstances.add(InstanceReport.newBuilder().setTenant(r.tenant()).setName(r.name())
          .setState(InstanceState.INSTANCE_FAILED).setExitCode(RunningInstance.UNKNOWN_EXIT)
          .setReason(a.reason()).build());
      return java.util.Optional.empty();
    }
    LocalInstance li;
    try {
      li = LocalInstance.adopted(r, a.instance());
    } catch (IOException e) {
      LOG.warn("instance {}/{}: {}; killing it", r.tenant(), r.name(), e.getMessage());
      a.instance().terminate(Duration.ZERO);
      return java.util.Optional.empty();
    }
    instances.put(li.key(), li);
    sessions.register(r.name(), r.token());
    li.running.exit().thenAccept(code -> onLoop(() -> exited(li, code)));
    for (Map.Entry<String, Integer> s : Map.copyOf(li.sessions).entrySet()) {
      if (s.getValue() > 0) {
        try {
          ingress.reopen(s.getKey(), s.getValue(), "127.0.0.1", li.firstPort());
        } catch (IOException e) {
          li.sessions.remove(s.getKey());
          pendingSessions.add(sessionReport(r.tenant(), s.getKey(), SessionState.SESSION_LOST,
              "after the agent restarted: " + e.getMessage()));
        }
      }
    }
    if (li.protocol) {
      sessions.awaitReconnect(r.name(), li.sessions.keySet());
    }
    persist(li);
    LOG.info("re-adopted instance {}/{} (pid {}, {} open session(s))", r.tenant(), r.name(),
        r.pid(), li.sessions.size());
    return java.util.Optional.of(li);
  }

  private void persist(LocalInstance li) {
    try {
      records.write(li.record());
    } catch (IOException e) {
      LOG.warn("cannot write the record of instance {}: {}", li.key(), e.toString());
    }
  }

  private Node node() {
    return Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName(config.node))
        .setSpec(NodeSpec.newBuilder().setAddress(config.address)
            .setIngressPortRange(PortRange.newBuilder().setFrom(config.ingressPorts.from)
                .setTo(config.ingressPorts.to))
            .setCapacity(Capacity.newBuilder().setCpuMillis(config.cpuMillis())
                .setMemoryBytes(config.memoryBytes()).setMaxInstances(config.capacity.maxInstances)))
        .build();
  }

  private List<InstanceReport> fullState() {
    List<InstanceReport> out = new ArrayList<>();
    for (LocalInstance li : instances.values()) {
      out.add(report(li, li.reported, 0, ""));
    }
    return out;
  }

  /** The sessions open here, as AVAILABLE reports with their ingress endpoints. */
  private List<SessionReport> openSessions() {
    List<SessionReport> out = new ArrayList<>();
    for (LocalInstance li : instances.values()) {
      li.sessions.forEach((name, port) -> {
        SessionReport.Builder r = sessionReport(li.instance.getMeta().getTenant(), name,
            SessionState.SESSION_AVAILABLE, "").toBuilder();
        if (port > 0) {
          r.addEndpoints(Endpoint.newBuilder().setName(li.ports.keySet().iterator().next())
              .setProtocol("tcp").setHost(config.address).setPort(port));
        }
        out.add(r.build());
      });
    }
    return out;
  }

  /** Sends what changed since the last report; an empty report is the heartbeat. */
  private void heartbeat() {
    stream.report(List.copyOf(pendingInstances), List.copyOf(pendingSessions));
    if (stream.connected()) {
      pendingInstances.clear();
      pendingSessions.clear();
    }
  }

  private void flush() {
    if (!pendingInstances.isEmpty() || !pendingSessions.isEmpty()) {
      heartbeat();
    }
  }

  // ---------------------------------------------------------------- reconciliation

  private void reconcile() {
    Map<String, InstanceAssignment> want = new HashMap<>();
    for (InstanceAssignment a : desired.getInstancesList()) {
      want.put(a.getInstance().getMeta().getTenant() + "/" + a.getInstance().getMeta().getName(), a);
    }
    for (LocalInstance li : List.copyOf(instances.values())) {
      InstanceAssignment a = want.get(li.key());
      if ((a == null || a.getTerminate()) && !li.terminating) {
        terminate(li, a == null ? "not assigned to this node" : "terminated by the scheduler");
      }
    }
    for (InstanceAssignment a : want.values()) {
      LocalInstance li = instances.get(a.getInstance().getMeta().getTenant() + "/"
          + a.getInstance().getMeta().getName());
      if (li == null && a.getTerminate()) {
        pendingInstances.add(InstanceReport.newBuilder().setTenant(a.getInstance().getMeta().getTenant())
            .setName(a.getInstance().getMeta().getName()).setState(InstanceState.INSTANCE_TERMINATED).build());
      } else if (li == null) {
        start(a);
      } else if (li.ready && !li.terminating && a.getFrozen() != li.running.frozen()) {
        if (a.getFrozen()) {
          li.running.freeze();
          setState(li, InstanceState.INSTANCE_STANDBY);
        } else {
          li.running.resume();
          setState(li, InstanceState.INSTANCE_READY);
        }
        persist(li);
      }
    }
    reconcileSessions();
    flush();
  }

  private void reconcileSessions() {
    Set<String> wanted = new HashSet<>();
    for (SessionAssignment sa : desired.getSessionsList()) {
      var s = sa.getSession();
      String name = s.getMeta().getName();
      wanted.add(name);
      LocalInstance li = instances.get(s.getMeta().getTenant() + "/" + s.getStatus().getInstance());
      boolean open = li != null && li.sessions.containsKey(name);
      if (sa.getClose() || s.getStatus().getState() == SessionState.SESSION_CLOSING) {
        closeSession(li, s.getMeta().getTenant(), name, SessionState.SESSION_CLOSED, "");
      } else if (!open && li != null && li.ready && s.getStatus().getState() == SessionState.SESSION_STARTING) {
        openSession(li, s);
      }
    }
    for (LocalInstance li : instances.values()) {
      for (String name : List.copyOf(li.sessions.keySet())) {
        if (!wanted.contains(name)) {
          ingress.close(name);
          li.sessions.remove(name);
          persist(li);
        }
      }
    }
  }

  private void start(InstanceAssignment a) {
    var inst = a.getInstance();
    String id = inst.getMeta().getName();
    Map<String, Integer> ports = new LinkedHashMap<>();
    Map<String, String> env = new HashMap<>();
    for (PortSpec p : a.getSpec().getPortsList()) {
      int local = freePort();
      ports.put(p.getName(), local);
      env.put("FORNAX_PORT_" + p.getName().toUpperCase().replace('-', '_'), Integer.toString(local));
    }
    String secret = java.util.UUID.randomUUID().toString();
    env.put("FORNAX_SESSION_SERVER", sessions.address());
    env.put("FORNAX_INSTANCE_ID", id);
    env.put("FORNAX_APPLICATION", inst.getApplication());
    env.put("FORNAX_SESSION_TOKEN", secret);
    sessions.register(id, secret);
    Path dir = records.dir(inst.getMeta().getTenant(), id);
    try {
      String runtimeClass = runtimeClass(a.getSpec().getRuntime().getRuntimeClass());
      var running = runtimeFor(runtimeClass).start(new InstanceSpec(id, inst.getApplication(),
          a.getSpec().getRuntime(), a.getSpec().getResources(), env, ports, dir));
      OrphanReaper.record(dir, running.pid(), running.startTime());
      LocalInstance li = new LocalInstance(inst, a.getSpec(), runtimeClass, running, ports, secret);
      instances.put(li.key(), li);
      persist(li);
      pendingInstances.add(report(li, InstanceState.INSTANCE_CREATING, 0, ""));
      running.exit().thenAccept(code -> onLoop(() -> exited(li, code)));
      awaitReady(li, a.getFrozen(), System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
    } catch (IOException e) {
      pendingInstances.add(InstanceReport.newBuilder().setTenant(inst.getMeta().getTenant())
          .setName(id).setState(InstanceState.INSTANCE_FAILED).setExitCode(-1)
          .setReason("cannot start: " + e.getMessage()).build());
    }
  }

  /** The application's runtime class, else the node's default: "process" or "oci". */
  private String runtimeClass(String runtimeClass) {
    return runtimeClass.isEmpty() ? config.runtime : runtimeClass;
  }

  private InstanceRuntime runtimeFor(String runtimeClass) throws IOException {
    if (runtimeClass(runtimeClass).equals("oci")) {
      if (ociRuntime == null) {
        throw new IOException("node " + config.node + " has no OCI runtime (" + config.ociRuntime
            + " not installed)");
      }
      return ociRuntime;
    }
    return processRuntime;
  }

  /** Ready once it speaks to the session server, or its first port accepts connections. */
  private void awaitReady(LocalInstance li, boolean frozen, long deadline) {
    if (li.terminating || li.running.exit().isDone()) {
      return;
    }
    boolean protocol = sessions.isConnected(li.instance.getMeta().getName());
    if (protocol || firstPortAccepts(li)) {
      li.ready = true;
      li.protocol = protocol;
      if (frozen) {
        li.running.freeze();
      }
      persist(li);
      setState(li, frozen ? InstanceState.INSTANCE_STANDBY : InstanceState.INSTANCE_READY);
      reconcileSessions();
      flush();
      return;
    }
    if (System.nanoTime() > deadline) {
      terminate(li, "did not become ready within 60s");
      return;
    }
    loop.schedule(() -> awaitReady(li, frozen, deadline), 50, TimeUnit.MILLISECONDS);
  }

  private static boolean firstPortAccepts(LocalInstance li) {
    int port = li.firstPort();
    return port > 0 && li.running.listening(port);
  }

  private void openSession(LocalInstance li, io.fornax.api.proto.Session s) {
    String name = s.getMeta().getName();
    li.sessions.put(name, 0);
    var opened = sessions.isConnected(li.instance.getMeta().getName())
        ? sessions.open(li.instance.getMeta().getName(), name, s.getSpec().getSessionData().toByteArray())
        : java.util.concurrent.CompletableFuture.<Void>completedFuture(null);
    opened.whenComplete((v, e) -> onLoop(() -> {
      if (e != null) {
        li.sessions.remove(name);
        pendingSessions.add(sessionReport(s.getMeta().getTenant(), name, SessionState.SESSION_LOST,
            "instance did not open the session: " + e.getMessage()));
        flush();
        return;
      }
      try {
        int target = li.firstPort();
        SessionReport.Builder r = sessionReport(s.getMeta().getTenant(), name,
            SessionState.SESSION_AVAILABLE, "").toBuilder();
        if (target > 0) {
          int port = ingress.open(name, "127.0.0.1", target);
          li.sessions.put(name, port);
          r.addEndpoints(Endpoint.newBuilder().setName(li.ports.keySet().iterator().next())
              .setProtocol("tcp").setHost(config.address).setPort(port));
        }
        pendingSessions.add(r.build());
      } catch (IOException ex) {
        li.sessions.remove(name);
        pendingSessions.add(sessionReport(s.getMeta().getTenant(), name, SessionState.SESSION_LOST,
            ex.getMessage()));
      }
      persist(li);
      flush();
    }));
  }

  private void closeSession(LocalInstance li, String tenant, String name, SessionState end, String why) {
    if (li != null && li.sessions.remove(name) != null) {
      ingress.close(name);
      sessions.close(li.instance.getMeta().getName(), name, Duration.ofSeconds(5));
      persist(li);
    }
    pendingSessions.add(sessionReport(tenant, name, end, why));
  }

  private void sessionLost(String instance, String session, String why) {
    for (LocalInstance li : instances.values()) {
      if (li.instance.getMeta().getName().equals(instance) && li.sessions.remove(session) != null) {
        ingress.close(session);
        persist(li);
        pendingSessions.add(sessionReport(li.instance.getMeta().getTenant(), session,
            SessionState.SESSION_LOST, why));
      }
    }
    flush();
  }

  private void terminate(LocalInstance li, String why) {
    li.terminating = true;
    li.sessions.keySet().forEach(ingress::close);
    li.running.terminate(Duration.ofSeconds(5));
    LOG.info("terminating instance {}: {}", li.instance.getMeta().getName(), why);
  }

  private void exited(LocalInstance li, int code) {
    instances.remove(li.key());
    sessions.forget(li.instance.getMeta().getName());
    li.sessions.keySet().forEach(ingress::close);
    records.delete(li.instance.getMeta().getTenant(), li.instance.getMeta().getName());
    OrphanReaper.forget(records.dir(li.instance.getMeta().getTenant(), li.instance.getMeta().getName()));
    String why = li.terminating ? "" : code == RunningInstance.UNKNOWN_EXIT
        ? "exited (exit code unknown: re-adopted after an agent restart)" : "exited with code " + code;
    pendingInstances.add(report(li, li.terminating ? InstanceState.INSTANCE_TERMINATED
        : InstanceState.INSTANCE_FAILED, code, why));
    flush();
  }

  private void setState(LocalInstance li, InstanceState st) {
    li.reported = st;
    pendingInstances.add(report(li, st, 0, ""));
  }

  private static InstanceReport report(LocalInstance li, InstanceState st, int code, String why) {
    return InstanceReport.newBuilder().setTenant(li.instance.getMeta().getTenant())
        .setName(li.instance.getMeta().getName()).setState(st).setExitCode(code).setReason(why).build();
  }

  private static SessionReport sessionReport(String tenant, String name, SessionState st, String why) {
    return SessionReport.newBuilder().setTenant(tenant).setName(name).setState(st).setReason(why).build();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A periodic task that logs instead of throwing: one exception would cancel it for good. */
  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("agent task failed; it runs again on schedule", e);
      }
    };
  }

  /** Runs on the agent thread; after close, late callbacks are dropped. */
  private void onLoop(Runnable r) {
    try {
      loop.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // the agent is stopping
    }
  }

  public int runningInstances() {
    return instances.size();
  }

  /** Instance name → pid, for tests. */
  Map<String, Long> pids() {
    Map<String, Long> out = new HashMap<>();
    instances.values().forEach(li -> out.put(li.instance.getMeta().getName(), li.running.pid()));
    return out;
  }

  /** Whether instance {@code id} is connected to the session server, for tests. */
  boolean speaksToSessionServer(String id) {
    return sessions.isConnected(id);
  }

  /**
   * Stops this agent as a crash would: its connection and its thread end, its instances keep
   * running. Only tests use it, to check what the next agent on the node re-adopts and cleans up.
   */
  void stopWithoutCleanup() {
    closed = true;
    loop.shutdownNow();
    stream.close();
    ingress.close();
    sessions.close();
  }

  @Override
  public void close() {
    closed = true;
    loop.shutdownNow();
    for (LocalInstance li : instances.values()) {
      li.running.terminate(Duration.ofSeconds(2)).orTimeout(5, TimeUnit.SECONDS)
          .exceptionally(e -> -1).join();
      // Stopped on purpose: nothing for the next start to adopt or report.
      String tenant = li.instance.getMeta().getTenant();
      records.delete(tenant, li.instance.getMeta().getName());
      OrphanReaper.forget(records.dir(tenant, li.instance.getMeta().getName()));
    }
    stream.close();
    ingress.close();
    sessions.close();
  }
}
