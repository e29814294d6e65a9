package io.fornax.agent;

import io.fornax.agent.stream.AgentStream;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.SessionReport;
import io.fornax.api.proto.SessionState;
import java.util.ArrayList;
import java.util.List;

/**
 * Instance and session reports waiting for the leader: sent with the next heartbeat, or at once
 * by {@link #flush}; kept while the stream is down. Used on the agent thread only.
 */
final class Outbox {
  private final List<InstanceReport> instances = new ArrayList<>();
  private final List<SessionReport> sessions = new ArrayList<>();
  private AgentStream stream;

  void attach(AgentStream stream) {
    this.stream = stream;
  }

  void add(InstanceReport r) {
    instances.add(r);
  }

  void instance(LocalInstance li, InstanceState st, int code, String why) {
    instances.add(report(li, st, code, why));
  }

  void add(SessionReport r) {
    sessions.add(r);
  }

  void session(String tenant, String name, SessionState st, String why) {
    sessions.add(sessionReport(tenant, name, st, why));
  }

  /** Sends what changed since the last report; an empty report is the heartbeat. */
  void heartbeat() {
    stream.report(List.copyOf(instances), List.copyOf(sessions));
    if (stream.connected()) {
      instances.clear();
      sessions.clear();
    }
  }

  /** Sends now if anything waits. */
  void flush() {
    if (!instances.isEmpty() || !sessions.isEmpty()) {
      heartbeat();
    }
  }

  /** The session reports not sent yet (tests). */
  List<SessionReport> waitingSessions() {
    return List.copyOf(sessions);
  }

  static InstanceReport report(LocalInstance li, InstanceState st, int code, String why) {
    return InstanceReport.newBuilder().setTenant(li.instance.getMeta().getTenant())
        .setName(li.instance.getMeta().getName()).setState(st).setExitCode(code).setReason(why).build();
  }

  static InstanceReport report(String tenant, String name, InstanceState st, int code, String why) {
    return InstanceReport.newBuilder().setTenant(tenant).setName(name).setState(st)
        .setExitCode(code).setReason(why).build();
  }

  static SessionReport sessionReport(String tenant, String name, SessionState st, String why) {
    return SessionReport.newBuilder().setTenant(tenant).setName(name).setState(st).setReason(why).build();
  }
}
