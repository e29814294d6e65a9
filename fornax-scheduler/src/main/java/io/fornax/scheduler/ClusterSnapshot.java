package io.fornax.scheduler;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable view of the cluster for one scheduling step: nodes, applications, and their
 * live instances and open sessions, indexed the way the scheduler asks. Finished instances and
 * sessions are left out: they hold no capacity and need no decision. Settled sessions (AVAILABLE,
 * IN_USE or CLOSING on an instance) need no decision either, only to be counted on their
 * instance: a snapshot may carry them as counts per instance instead of records
 * ({@link #settledSessions}), so a step over 100,000 open sessions does not copy them all.
 */
public final class ClusterSnapshot {
  private final long revision;
  private final List<Node> nodes;
  private final List<Application> applications;
  private final Map<String, List<Instance>> instancesByApp = new HashMap<>();
  private final Map<String, List<Instance>> instancesByNode = new HashMap<>();
  private final Map<String, List<Session>> sessionsByApp = new HashMap<>();
  private final Map<String, Integer> settledByInstance;

  private ClusterSnapshot(long revision, List<Node> nodes, List<Application> applications,
      List<Instance> instances, List<Session> sessions, Map<String, Integer> settledByInstance) {
    this.revision = revision;
    this.settledByInstance = settledByInstance;
    this.nodes = List.copyOf(nodes);
    this.applications = List.copyOf(applications);
    for (Instance i : instances) {
      if (isLive(i)) {
        instancesByApp.computeIfAbsent(appKey(i.getMeta().getTenant(), i.getApplication()),
            k -> new ArrayList<>()).add(i);
        instancesByNode.computeIfAbsent(i.getNode(), k -> new ArrayList<>()).add(i);
      }
    }
    for (Session s : sessions) {
      if (isOpen(s)) {
        sessionsByApp.computeIfAbsent(appKey(s.getMeta().getTenant(), s.getSpec().getApplication()),
            k -> new ArrayList<>()).add(s);
      }
    }
  }

  public static ClusterSnapshot of(long revision, List<Node> nodes, List<Application> applications,
      List<Instance> instances, List<Session> sessions) {
    return new ClusterSnapshot(revision, nodes, applications, instances, sessions, Map.of());
  }

  /**
   * A snapshot whose settled sessions are partly given as counts: {@code settledByInstance}
   * maps {@link #instanceKey} to how many settled sessions, not in {@code sessions}, the
   * instance holds. The map is kept, not copied.
   */
  public static ClusterSnapshot of(long revision, List<Node> nodes, List<Application> applications,
      List<Instance> instances, List<Session> sessions, Map<String, Integer> settledByInstance) {
    return new ClusterSnapshot(revision, nodes, applications, instances, sessions,
        settledByInstance);
  }

  public static String instanceKey(String tenant, String instance) {
    return tenant + "/" + instance;
  }

  public static String appKey(String tenant, String application) {
    return tenant + "/" + application;
  }

  /** Not TERMINATING, TERMINATED or FAILED: it holds capacity. */
  public static boolean isLive(Instance i) {
    InstanceState s = i.getState();
    return s != InstanceState.INSTANCE_TERMINATING && s != InstanceState.INSTANCE_TERMINATED
        && s != InstanceState.INSTANCE_FAILED;
  }

  /** Not CLOSED, TIMEOUT or LOST. */
  public static boolean isOpen(Session s) {
    SessionState st = s.getStatus().getState();
    return st != SessionState.SESSION_CLOSED && st != SessionState.SESSION_TIMEOUT
        && st != SessionState.SESSION_LOST;
  }

  /**
   * Settled: AVAILABLE, IN_USE or CLOSING on an instance. A step needs no decision about such a
   * session, only its place on the instance, so a snapshot may give it as a count there.
   */
  public static boolean isSettled(Session s) {
    SessionState st = s.getStatus().getState();
    return (st == SessionState.SESSION_AVAILABLE || st == SessionState.SESSION_IN_USE
        || st == SessionState.SESSION_CLOSING) && !s.getStatus().getInstance().isEmpty();
  }

  public long revision() {
    return revision;
  }

  public List<Node> nodes() {
    return nodes;
  }

  public List<Application> applications() {
    return applications;
  }

  /** Live instances of an application. */
  public List<Instance> instances(String tenant, String application) {
    return instancesByApp.getOrDefault(appKey(tenant, application), Collections.emptyList());
  }

  /** Live instances on a node: they hold its capacity. */
  public List<Instance> instancesOn(String node) {
    return instancesByNode.getOrDefault(node, Collections.emptyList());
  }

  /**
   * Sessions of an application that are not finished, except the settled ones given as counts
   * ({@link #settledSessions}).
   */
  public List<Session> sessions(String tenant, String application) {
    return sessionsByApp.getOrDefault(appKey(tenant, application), Collections.emptyList());
  }

  /** Settled sessions on an instance that {@link #sessions} does not list, only counts. */
  public int settledSessions(String tenant, String instance) {
    return settledByInstance.getOrDefault(instanceKey(tenant, instance), 0);
  }
}
