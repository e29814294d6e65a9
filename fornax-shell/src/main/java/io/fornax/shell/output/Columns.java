package io.fornax.shell.output;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.Endpoint;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.Tenant;
import io.fornax.client.Resources;
import io.fornax.shell.manifest.Units;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The columns {@code get} shows for each kind: the default ones, and more with {@code -o wide}. */
public final class Columns {
  private Columns() {}

  /** A table of {@code items} (all of one kind). */
  public static Table table(io.fornax.api.proto.Kind kind, List<Resource> items, boolean wide,
      Clock clock) {
    Table t = new Table(headers(kind, wide));
    for (Resource r : items) {
      t.row(row(r, wide, clock));
    }
    return t;
  }

  private static List<String> headers(io.fornax.api.proto.Kind kind, boolean wide) {
    List<String> h = new ArrayList<>(switch (kind) {
      case APPLICATION -> List.of("NAME", "INSTANCES", "IDLE", "IN-USE", "MIN/MAX", "AGE");
      case SESSION -> List.of("NAME", "APPLICATION", "STATE", "ENDPOINT", "AGE");
      case NODE -> List.of("NAME", "STATE", "ADDRESS", "CPU", "MEMORY", "AGE");
      case INSTANCE -> List.of("NAME", "APPLICATION", "NODE", "STATE", "SESSIONS", "AGE");
      default -> List.of("NAME", "AGE");
    });
    if (wide) {
      h.addAll(switch (kind) {
        case APPLICATION -> List.of("TENANT", "PENDING", "TERMINATING", "COMMAND", "LABELS");
        case SESSION -> List.of("TENANT", "INSTANCE", "NODE", "REASON");
        case NODE -> List.of("INGRESS", "MAX-INSTANCES", "SCHEDULABLE", "SIMULATED", "LABELS");
        case INSTANCE -> List.of("TENANT", "PORTS", "EXIT");
        default -> List.of("MAX-APPS", "MAX-SESSIONS", "MAX-INSTANCES", "LABELS");
      });
    }
    return h;
  }

  private static List<String> row(Resource r, boolean wide, Clock clock) {
    String age = Ages.since(Resources.meta(r).getCreatedAtMs(), clock);
    List<String> c = new ArrayList<>();
    switch (r.getKindCase()) {
      case APPLICATION -> application(r.getApplication(), age, wide, c);
      case SESSION -> session(r.getSession(), age, wide, c);
      case NODE -> node(r.getNode(), age, wide, c);
      case INSTANCE -> instance(r.getInstance(), age, wide, c);
      default -> tenant(r.getTenant(), age, wide, c);
    }
    return c;
  }

  private static void application(Application a, String age, boolean wide, List<String> c) {
    var s = a.getStatus();
    var sc = a.getSpec().getScaling();
    c.addAll(List.of(a.getMeta().getName(), s.getTotalInstances() + "/" + s.getDesiredInstances(),
        str(s.getIdleInstances()), str(s.getAllocatedInstances()),
        sc.getMinInstances() + "/" + sc.getMaxInstances(), age));
    if (wide) {
      c.addAll(List.of(a.getMeta().getTenant(), str(s.getPendingInstances()),
          str(s.getTerminatingInstances()), a.getSpec().getRuntime().getCommand(),
          labels(a.getMeta().getLabelsMap())));
    }
  }

  private static void session(Session s, String age, boolean wide, List<String> c) {
    var st = s.getStatus();
    c.addAll(List.of(s.getMeta().getName(), s.getSpec().getApplication(),
        Resources.state(st.getState()), endpoints(st.getEndpointsList()), age));
    if (wide) {
      c.addAll(List.of(s.getMeta().getTenant(), st.getInstance(), st.getNode(), st.getReason()));
    }
  }

  private static void node(Node n, String age, boolean wide, List<String> c) {
    var cap = n.getSpec().getCapacity();
    c.addAll(List.of(n.getMeta().getName(), Resources.state(n.getStatus().getState()),
        n.getSpec().getAddress(), Units.formatCpu(cap.getCpuMillis()),
        Units.formatBytes(cap.getMemoryBytes()), age));
    if (wide) {
      var range = n.getSpec().getIngressPortRange();
      c.addAll(List.of(range.getFrom() + "-" + range.getTo(), str(cap.getMaxInstances()),
          n.getSpec().getUnschedulable() ? "no" : "yes", n.getSpec().getSimulated() ? "yes" : "no",
          labels(n.getMeta().getLabelsMap())));
    }
  }

  private static void instance(Instance i, String age, boolean wide, List<String> c) {
    c.addAll(List.of(i.getMeta().getName(), i.getApplication(), i.getNode(),
        Resources.state(i.getState()), str(i.getSessionsCount()), age));
    if (wide) {
      c.addAll(List.of(i.getMeta().getTenant(), endpoints(i.getPortsList()), i.getExitReason()));
    }
  }

  private static void tenant(Tenant t, String age, boolean wide, List<String> c) {
    c.addAll(List.of(t.getMeta().getName(), age));
    if (wide) {
      var q = t.getQuota();
      c.addAll(List.of(limit(q.getMaxApplications()), limit(q.getMaxSessions()),
          limit(q.getMaxInstances()), labels(t.getMeta().getLabelsMap())));
    }
  }

  /** One line for a watch: the state that matters for each kind. */
  public static String summary(Resource r) {
    return switch (r.getKindCase()) {
      case APPLICATION -> {
        var s = r.getApplication().getStatus();
        yield "instances=" + s.getTotalInstances() + "/" + s.getDesiredInstances() + " idle="
            + s.getIdleInstances() + " in-use=" + s.getAllocatedInstances();
      }
      case SESSION -> Resources.state(r.getSession().getStatus().getState())
          + optional(" ", endpoints(r.getSession().getStatus().getEndpointsList()))
          + optional(" reason=", r.getSession().getStatus().getReason());
      case NODE -> Resources.state(r.getNode().getStatus().getState());
      case INSTANCE -> Resources.state(r.getInstance().getState()) + " app="
          + r.getInstance().getApplication() + optional(" node=", r.getInstance().getNode());
      default -> "";
    };
  }

  public static String endpoints(List<Endpoint> eps) {
    return eps.stream().map(e -> e.getHost() + ":" + e.getPort()).collect(Collectors.joining(","));
  }

  static String labels(Map<String, String> labels) {
    return new java.util.TreeMap<>(labels).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  private static String optional(String prefix, String value) {
    return value.isEmpty() ? "" : prefix + value;
  }

  private static String limit(int n) {
    return n == 0 ? "unlimited" : Integer.toUnsignedString(n);
  }

  private static String str(int n) {
    return Integer.toUnsignedString(n);
  }
}
