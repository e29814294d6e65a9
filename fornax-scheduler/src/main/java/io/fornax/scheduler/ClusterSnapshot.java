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
 * sessions are left out: they hold no capacity and need no decision.
 */
public final class ClusterSnapshot {
  private final long revision;
  private final List<Node> nodes;
  private final List<Application> applications;
  private final Map<String, List<Instance>> instancesByApp = new HashMap<>();
  private final Map<String, List<Instance>> instancesByNode = new HashMap<>();
  private final Map<String, List<Session>> sessionsByApp = new HashMap<>();

  private ClusterSnapshot(long revision, List<Node> nodes, List<Application> applications,
      List<Instance> instances, List<Session> sessions) {
    this.revision = revision;
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
    return new ClusterSnapshot(revision, nodes, applications, instances, sessions);
  }

  public static String appKey(String tenant, String application) {
    return tenant + "/" + application;
  }

  static boolean isLive(Instance i) {
    InstanceState s = i.getState();
    return s != InstanceState.INSTANCE_TERMINATING && s != InstanceState.INSTANCE_TERMINATED
        && s != InstanceState.INSTANCE_FAILED;
  }

  static boolean isOpen(Session s) {
    SessionState st = s.getStatus().getState();
    return st != SessionState.SESSION_CLOSED && st != SessionState.SESSION_TIMEOUT
        && st != SessionState.SESSION_LOST;
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

  /** Sessions of an application that are not finished. */
  public List<Session> sessions(String tenant, String application) {
    return sessionsByApp.getOrDefault(appKey(tenant, application), Collections.emptyList());
  }
}
