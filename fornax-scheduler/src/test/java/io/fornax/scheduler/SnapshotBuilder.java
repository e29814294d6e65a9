package io.fornax.scheduler;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.NodeStatus;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.ResourceSpec;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionPolicy;
import io.fornax.api.proto.SessionSpec;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.SessionStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The scheduler harness: an in-memory cluster built up in a test, then frozen into a snapshot. */
public final class SnapshotBuilder {
  public static final String TENANT = "t";
  public final List<Node> nodes = new ArrayList<>();
  public final List<Application> apps = new ArrayList<>();
  public final List<Instance> instances = new ArrayList<>();
  public final List<Session> sessions = new ArrayList<>();
  private long revision = 1;

  public SnapshotBuilder node(String name, int cpu, long memory, int slots) {
    return node(name, cpu, memory, slots, n -> n);
  }

  public SnapshotBuilder node(String name, int cpu, long memory, int slots, UnaryOperator<Node.Builder> f) {
    nodes.add(f.apply(Node.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName(name))
        .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setCapacity(Capacity.newBuilder()
            .setCpuMillis(cpu).setMemoryBytes(memory).setMaxInstances(slots)))
        .setStatus(NodeStatus.newBuilder().setState(NodeState.NODE_READY))).build());
    return this;
  }

  public SnapshotBuilder app(String name, UnaryOperator<ScalingPolicy.Builder> scaling) {
    return app(name, scaling, s -> s, 100, 100);
  }

  public SnapshotBuilder app(String name, UnaryOperator<ScalingPolicy.Builder> scaling,
      UnaryOperator<SessionPolicy.Builder> session, int cpu, long memory) {
    apps.add(Application.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setTenant(TENANT).setName(name))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/cat"))
            .setResources(ResourceSpec.newBuilder().setCpuMillis(cpu).setMemoryBytes(memory))
            .setScaling(scaling.apply(ScalingPolicy.newBuilder().setMaxInstances(10).setBurst(5)
                .setIdleTimeoutMs(60_000)))
            .setSession(session.apply(SessionPolicy.newBuilder().setSessionsPerInstance(1)
                .setOpenTimeoutMs(10_000))))
        .build());
    return this;
  }

  public SnapshotBuilder instance(String app, String name, String node, InstanceState state,
      long idleSinceMs) {
    Application a = apps.stream().filter(x -> x.getMeta().getName().equals(app)).findFirst()
        .orElseThrow();
    instances.add(Instance.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setTenant(TENANT).setName(name).setCreateRevision(revision++))
        .setApplication(app).setNode(node).setState(state).setIdleSinceMs(idleSinceMs)
        .setResources(a.getSpec().getResources())
        .build());
    return this;
  }

  public SnapshotBuilder session(String app, String name, long openedAt) {
    return session(app, name, openedAt, SessionState.SESSION_PENDING, "");
  }

  public SnapshotBuilder session(String app, String name, long openedAt, SessionState state,
      String instance) {
    sessions.add(Session.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setTenant(TENANT).setName(name))
        .setSpec(SessionSpec.newBuilder().setApplication(app))
        .setStatus(SessionStatus.newBuilder().setState(state).setOpenedAtMs(openedAt)
            .setInstance(instance))
        .build());
    return this;
  }

  public ClusterSnapshot build() {
    return ClusterSnapshot.of(revision, nodes, apps, instances, sessions);
  }

  /**
   * The same cluster as {@link #build}, with the settled sessions (AVAILABLE, IN_USE or CLOSING
   * on an instance) given as counts per instance, as the leader builds its snapshots.
   */
  public ClusterSnapshot buildCounted() {
    List<Session> listed = new ArrayList<>();
    Map<String, Integer> settled = new HashMap<>();
    for (Session s : sessions) {
      if (ClusterSnapshot.isSettled(s)) {
        settled.merge(ClusterSnapshot.instanceKey(s.getMeta().getTenant(),
            s.getStatus().getInstance()), 1, Integer::sum);
      } else {
        listed.add(s);
      }
    }
    return ClusterSnapshot.of(revision, nodes, apps, instances, listed, settled);
  }
}
