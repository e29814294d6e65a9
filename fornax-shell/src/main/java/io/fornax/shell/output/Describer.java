package io.fornax.shell.output;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.ScalingEvent;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.Tenant;
import io.fornax.client.Resources;
import io.fornax.shell.manifest.Units;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code describe}: one resource as aligned {@code Key: value} lines, with what explains it:
 * an application's scaling events and why it cannot be placed, a session's reason, an
 * instance's exit reason, a node's state and its reason.
 */
public final class Describer {
  private final Clock clock;
  private final StringBuilder out = new StringBuilder();

  private Describer(Clock clock) {
    this.clock = clock;
  }

  public static String describe(Resource r, Clock clock) {
    Describer d = new Describer(clock);
    d.meta(Resources.meta(r));
    switch (r.getKindCase()) {
      case APPLICATION -> d.application(r.getApplication());
      case SESSION -> d.session(r.getSession());
      case NODE -> d.node(r.getNode());
      case INSTANCE -> d.instance(r.getInstance());
      default -> d.tenant(r.getTenant());
    }
    return d.out.toString();
  }

  private void meta(ObjectMeta m) {
    line("Name", m.getName());
    line("Tenant", m.getTenant());
    line("Labels", Columns.labels(m.getLabelsMap()));
    line("Created", time(m.getCreatedAtMs()));
    line("Revision", Long.toUnsignedString(m.getRevision()));
  }

  private void application(Application a) {
    var spec = a.getSpec();
    var rt = spec.getRuntime();
    line("Command", (rt.getCommand() + " " + String.join(" ", rt.getArgsList())).trim());
    line("Image", rt.getImage());
    line("Ports", spec.getPortsList().stream().map(p -> p.getName() + "=" + p.getPort() + "/"
        + p.getProtocol()).collect(Collectors.joining(", ")));
    line("Resources", "cpu " + Units.formatCpu(spec.getResources().getCpuMillis()) + ", memory "
        + Units.formatBytes(spec.getResources().getMemoryBytes()));
    var sc = spec.getScaling();
    line("Scaling", "min " + sc.getMinInstances() + ", max " + sc.getMaxInstances()
        + ", idle sessions " + sc.getIdleSessionsLow() + ".." + sc.getIdleSessionsHigh()
        + ", burst " + sc.getBurst() + ", idle timeout " + Ages.duration(sc.getIdleTimeoutMs())
        + (sc.getStandby() ? ", standby" : ""));
    var se = spec.getSession();
    line("Session", se.getSessionsPerInstance() + " per instance, open timeout "
        + Ages.duration(se.getOpenTimeoutMs()) + ", close grace "
        + Ages.duration(se.getCloseGracePeriodMs())
        + (se.getKillInstanceOnClose() ? ", instance killed on close" : ""));
    line("Node selector", Columns.labels(spec.getNodeSelectorMap()));
    var s = a.getStatus();
    line("Instances", "desired " + s.getDesiredInstances() + ", total " + s.getTotalInstances()
        + ", pending " + s.getPendingInstances() + ", idle " + s.getIdleInstances()
        + ", in use " + s.getAllocatedInstances() + ", terminating "
        + s.getTerminatingInstances());
    line("Unplaceable", s.getUnplaceableReason().isEmpty() ? "no" : s.getUnplaceableReason());
    events(s.getEventsList());
  }

  private void session(Session s) {
    var st = s.getStatus();
    line("Application", s.getSpec().getApplication());
    line("State", Resources.state(st.getState()));
    line("Reason", st.getReason());
    line("Instance", st.getInstance());
    line("Node", st.getNode());
    line("Endpoints", Columns.endpoints(st.getEndpointsList()));
    line("Opened", time(st.getOpenedAtMs()));
    line("Available", time(st.getAvailableAtMs()));
    line("Closed", time(st.getClosedAtMs()));
    line("Data", s.getSpec().getSessionData().size() + " bytes");
  }

  private void node(Node n) {
    var spec = n.getSpec();
    line("Address", spec.getAddress());
    line("State", Resources.state(n.getStatus().getState()));
    line("Reason", n.getStatus().getReason());
    line("Since", time(n.getStatus().getLastTransitionMs()));
    line("Capacity", "cpu " + Units.formatCpu(spec.getCapacity().getCpuMillis()) + ", memory "
        + Units.formatBytes(spec.getCapacity().getMemoryBytes()) + ", instances "
        + spec.getCapacity().getMaxInstances());
    line("Ingress ports", spec.getIngressPortRange().getFrom() + "-"
        + spec.getIngressPortRange().getTo());
    line("Schedulable", spec.getUnschedulable() ? "no (drained)" : "yes");
    line("Simulated", spec.getSimulated() ? "yes (no processes behind it)" : "no");
  }

  private void instance(Instance i) {
    line("Application", i.getApplication());
    line("Node", i.getNode());
    line("State", Resources.state(i.getState()));
    line("Sessions", String.join(", ", i.getSessionsList()));
    line("Ports", Columns.endpoints(i.getPortsList()));
    line("Resources", "cpu " + Units.formatCpu(i.getResources().getCpuMillis()) + ", memory "
        + Units.formatBytes(i.getResources().getMemoryBytes()));
    line("Exit reason", i.getExitReason());
    line("Exit code", i.getExitReason().isEmpty() && i.getExitCode() == 0 ? ""
        : Integer.toString(i.getExitCode()));
  }

  private void tenant(Tenant t) {
    var q = t.getQuota();
    line("Quota", "applications " + limit(q.getMaxApplications()) + ", sessions "
        + limit(q.getMaxSessions()) + ", instances " + limit(q.getMaxInstances()) + ", cpu "
        + (q.getMaxCpuMillis() == 0 ? "unlimited" : Units.formatCpu(q.getMaxCpuMillis()))
        + ", memory " + (q.getMaxMemoryBytes() == 0 ? "unlimited"
            : Units.formatBytes(q.getMaxMemoryBytes())));
  }

  private void events(List<ScalingEvent> events) {
    out.append("Events:").append(events.isEmpty() ? "        <none>\n" : "\n");
    for (ScalingEvent e : events) {
      out.append("  ").append(String.format("%-5s", Ages.since(e.getAtMs(), clock)))
          .append(' ').append(e.getMessage()).append('\n');
    }
  }

  private void line(String key, String value) {
    out.append(String.format("%-15s%s%n", key + ":", value.isEmpty() ? "-" : value));
  }

  private String time(long ms) {
    return ms <= 0 ? "" : Instant.ofEpochMilli(ms) + " (" + Ages.since(ms, clock) + " ago)";
  }

  private static String limit(int n) {
    return n == 0 ? "unlimited" : Integer.toUnsignedString(n);
  }
}
