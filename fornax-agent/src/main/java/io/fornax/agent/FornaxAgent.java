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
import io.fornax.api.proto.InstanceAssignment;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.NodeAssignment;
import io.fornax.api.proto.PortSpec;
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
  private final Outbox outbox = new Outbox();
  private final SessionServer sessions;
  private final NodeSessions nodeSessions;
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
        this::connectRequest,
        a -> {
          desired = a;
          reconcile();
        }, this::onLoop, null);
    outbox.attach(stream);
    this.nodeSessions = new NodeSessions(instances, sessions, ingress, outbox, config.address,
        this::persist, this::onLoop);
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
    loop.scheduleWithFixedDelay(guarded(outbox::heartbeat), 1, 1, TimeUnit.SECONDS);
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
      outbox.add(Outbox.report(r.tenant(), r.name(), InstanceState.INSTANCE_FAILED,
          RunningInstance.UNKNOWN_EXIT, a.reason()));
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
    nodeSessions.readopt(li);
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

  /** What the leader hears first on every (re)connect: the node and all it runs. */
  private AgentConnectRequest connectRequest() {
    return AgentConnectRequest.newBuilder().setNode(config.node()).addAllInstances(fullState())
        .addAllSessions(nodeSessions.openReports()).build();
  }

  private void sessionLost(String instance, String session, String why) {
    nodeSessions.lost(instance, session, why);
  }

  private List<InstanceReport> fullState() {
    List<InstanceReport> out = new ArrayList<>();
    for (LocalInstance li : instances.values()) {
      out.add(Outbox.report(li, li.reported, 0, ""));
    }
    return out;
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
        outbox.add(Outbox.report(a.getInstance().getMeta().getTenant(),
            a.getInstance().getMeta().getName(), InstanceState.INSTANCE_TERMINATED, 0, ""));
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
    nodeSessions.reconcile(desired.getSessionsList());
    outbox.flush();
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
      outbox.instance(li, InstanceState.INSTANCE_CREATING, 0, "");
      running.exit().thenAccept(code -> onLoop(() -> exited(li, code)));
      awaitReady(li, a.getFrozen(), System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
    } catch (IOException e) {
      outbox.add(Outbox.report(inst.getMeta().getTenant(), id, InstanceState.INSTANCE_FAILED, -1,
          "cannot start: " + e.getMessage()));
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
      nodeSessions.reconcile(desired.getSessionsList());
      outbox.flush();
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

  private void terminate(LocalInstance li, String why) {
    li.terminating = true;
    nodeSessions.unbind(li);
    li.running.terminate(Duration.ofSeconds(5));
    LOG.info("terminating instance {}: {}", li.instance.getMeta().getName(), why);
  }

  private void exited(LocalInstance li, int code) {
    instances.remove(li.key());
    sessions.forget(li.instance.getMeta().getName());
    nodeSessions.unbind(li);
    records.delete(li.instance.getMeta().getTenant(), li.instance.getMeta().getName());
    OrphanReaper.forget(records.dir(li.instance.getMeta().getTenant(), li.instance.getMeta().getName()));
    String why = li.terminating ? "" : code == RunningInstance.UNKNOWN_EXIT
        ? "exited (exit code unknown: re-adopted after an agent restart)" : "exited with code " + code;
    outbox.instance(li, li.terminating ? InstanceState.INSTANCE_TERMINATED
        : InstanceState.INSTANCE_FAILED, code, why);
    outbox.flush();
  }

  private void setState(LocalInstance li, InstanceState st) {
    li.reported = st;
    outbox.instance(li, st, 0, "");
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
