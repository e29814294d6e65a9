package io.fornax.agent.simulate;

import io.fornax.api.Threads;
import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Endpoint;
import io.fornax.api.proto.InstanceAssignment;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeAssignment;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.SessionAssignment;
import io.fornax.api.proto.SessionReport;
import io.fornax.api.proto.SessionState;
import io.fornax.agent.stream.AgentStream;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIMULATION, for scale tests only: N virtual nodes in one JVM that speak the real agent
 * protocol to the real core, but run no processes. Instances become READY after
 * {@code createDelay}; sessions AVAILABLE after {@code openDelay} with an endpoint that leads
 * nowhere (port 0). Every node is registered with {@code spec.simulated: true}, so node listings
 * show it, and every log line of this class says SIMULATION.
 */
public final class Simulation implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);

  private final List<String> cores;
  private final String token;
  private final Duration createDelay;
  private final Duration openDelay;
  private final EventLoopGroup group = new NioEventLoopGroup(2);
  // One thread: AgentStream requires its owner's executor to run one task at a time.
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(Threads.daemon("simulation"));
  private final List<SimNode> nodes = new ArrayList<>();
  private volatile boolean closed;

  public Simulation(List<String> cores, String token, Duration createDelay, Duration openDelay) {
    this.cores = cores;
    this.token = token;
    this.createDelay = createDelay;
    this.openDelay = openDelay;
  }

  public Simulation start(String prefix, int count) {
    LOG.info("SIMULATION: starting {} virtual nodes ({}-1..{}-{}); they run no processes", count,
        prefix, prefix, count);
    for (int i = 1; i <= count; i++) {
      nodes.add(new SimNode(prefix + "-" + i));
    }
    timers.scheduleWithFixedDelay(() -> nodes.forEach(n -> n.stream.tick()), 0, 200,
        TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(() -> nodes.forEach(SimNode::heartbeat), 1, 1, TimeUnit.SECONDS);
    return this;
  }

  public long connected() {
    return nodes.stream().filter(n -> n.stream.connected()).count();
  }

  /** Schedules unless the simulation is stopping (late callbacks are dropped then). */
  private void later(Runnable r, long ms) {
    if (!closed) {
      try {
        timers.schedule(r, ms, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // closed meanwhile
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    timers.shutdownNow();
    nodes.forEach(n -> n.stream.close());
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** One virtual node: what it was told to run, reported back after the configured delays. */
  private final class SimNode {
    final String name;
    final AgentStream stream;
    /** What this node runs, as it would report it on connect: tenant/name to its last state. */
    final Map<String, InstanceReport> instances = new ConcurrentHashMap<>();
    /** Sessions available here, with their endpoints: tenant/name to the AVAILABLE report. */
    final Map<String, SessionReport> open = new ConcurrentHashMap<>();
    final Map<String, Boolean> scheduled = new ConcurrentHashMap<>();
    final List<InstanceReport> pendingInstances = new ArrayList<>();
    final List<SessionReport> pendingSessions = new ArrayList<>();

    SimNode(String name) {
      this.name = name;
      this.stream = new AgentStream(name, cores, token,
          this::connectRequest, this::reconcile,
          r -> later(r, 0), group);
    }

    private Node node() {
      return Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name).putLabels("fornax/simulated", "true"))
          .setSpec(NodeSpec.newBuilder().setAddress("simulated").setSimulated(true)
              .setCapacity(Capacity.newBuilder().setCpuMillis(64_000).setMemoryBytes(256L << 30)
                  .setMaxInstances(500)))
          .build();
    }

    /**
     * The full state, like a real agent's: without it a new leader would take every instance here
     * for missing, fail it and lose its sessions.
     */
    private synchronized AgentConnectRequest connectRequest() {
      return AgentConnectRequest.newBuilder().setNode(node()).addAllInstances(instances.values())
          .addAllSessions(open.values()).build();
    }

    private synchronized void reconcile(NodeAssignment a) {
      for (InstanceAssignment ia : a.getInstancesList()) {
        var i = ia.getInstance();
        String key = i.getMeta().getTenant() + "/" + i.getMeta().getName();
        if (ia.getTerminate()) {
          if (instances.remove(key) != null || !scheduled.containsKey("t:" + key)) {
            scheduled.put("t:" + key, true);
            pendingInstances.add(report(i.getMeta().getTenant(), i.getMeta().getName(),
                InstanceState.INSTANCE_TERMINATED));
          }
        } else if (scheduled.putIfAbsent("c:" + key, true) == null) {
          instances.put(key, report(i.getMeta().getTenant(), i.getMeta().getName(),
              InstanceState.INSTANCE_CREATING));
          later(() -> created(i.getMeta().getTenant(), i.getMeta().getName(), ia.getFrozen()),
              createDelay.toMillis());
        }
      }
      for (SessionAssignment sa : a.getSessionsList()) {
        var s = sa.getSession();
        String key = s.getMeta().getTenant() + "/" + s.getMeta().getName();
        if (sa.getClose() || s.getStatus().getState() == SessionState.SESSION_CLOSING) {
          // Confirmed on every assignment that still asks, like the real agent: a confirmation
          // lost with a failed leader is sent again to the next one.
          scheduled.put("x:" + key, true);
          open.remove(key);
          pendingSessions.add(sessionReport(s.getMeta().getTenant(), s.getMeta().getName(),
              SessionState.SESSION_CLOSED));
        } else if (s.getStatus().getState() == SessionState.SESSION_STARTING
            && instances.containsKey(s.getMeta().getTenant() + "/" + s.getStatus().getInstance())
            // Per instance: a warm open the leader offered on one instance may be committed on
            // another (its reservation no longer held), and must be opened there too.
            && scheduled.putIfAbsent("o:" + key + "@" + s.getStatus().getInstance(), true) == null) {
          later(() -> opened(s.getMeta().getTenant(), s.getMeta().getName()), openDelay.toMillis());
        }
      }
      flush();
    }

    private synchronized void created(String tenant, String name, boolean frozen) {
      String key = tenant + "/" + name;
      if (instances.get(key) == null) {
        return; // terminated while it was being created
      }
      InstanceReport ready = report(tenant, name, frozen ? InstanceState.INSTANCE_STANDBY
          : InstanceState.INSTANCE_READY);
      instances.put(key, ready);
      pendingInstances.add(ready);
      flush();
    }

    private synchronized void opened(String tenant, String name) {
      SessionReport available = sessionReport(tenant, name, SessionState.SESSION_AVAILABLE).toBuilder()
          .addEndpoints(Endpoint.newBuilder().setName("sim").setProtocol("tcp").setHost("simulated"))
          .build();
      if (!scheduled.containsKey("x:" + tenant + "/" + name)) {
        open.put(tenant + "/" + name, available);
      }
      pendingSessions.add(available);
      flush();
    }

    synchronized void heartbeat() {
      if (stream.connected()) {
        stream.report(List.copyOf(pendingInstances), List.copyOf(pendingSessions));
        pendingInstances.clear();
        pendingSessions.clear();
      }
    }

    private void flush() {
      if (!pendingInstances.isEmpty() || !pendingSessions.isEmpty()) {
        heartbeat();
      }
    }
  }

  private static InstanceReport report(String tenant, String name, InstanceState st) {
    return InstanceReport.newBuilder().setTenant(tenant).setName(name).setState(st).build();
  }

  private static SessionReport sessionReport(String tenant, String name, SessionState st) {
    return SessionReport.newBuilder().setTenant(tenant).setName(name).setState(st).build();
  }
}
