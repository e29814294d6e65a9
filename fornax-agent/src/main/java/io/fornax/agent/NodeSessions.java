package io.fornax.agent;

import io.fornax.agent.ingress.Ingress;
import io.fornax.agent.session.SessionServer;
import io.fornax.api.proto.Endpoint;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionAssignment;
import io.fornax.api.proto.SessionReport;
import io.fornax.api.proto.SessionState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The sessions open on this node's instances: opened through the session server (instances that
 * speak the protocol) and an ingress port forwarding to the instance's first port, closed, or
 * lost; each change is reported through the {@link Outbox} and kept in the instance's record.
 * Used on the agent thread only.
 */
final class NodeSessions {
  private final Map<String, LocalInstance> instances;
  private final SessionServer server;
  private final Ingress ingress;
  private final Outbox outbox;
  /** The node's address in session endpoints. */
  private final String address;
  private final Consumer<LocalInstance> persist;
  /** Runs a task on the agent thread. */
  private final Consumer<Runnable> onLoop;

  NodeSessions(Map<String, LocalInstance> instances, SessionServer server, Ingress ingress,
      Outbox outbox, String address, Consumer<LocalInstance> persist, Consumer<Runnable> onLoop) {
    this.instances = instances;
    this.server = server;
    this.ingress = ingress;
    this.outbox = outbox;
    this.address = address;
    this.persist = persist;
    this.onLoop = onLoop;
  }

  /** Opens and closes sessions towards what the leader assigned to this node. */
  void reconcile(List<SessionAssignment> desired) {
    Set<String> wanted = new HashSet<>();
    for (SessionAssignment sa : desired) {
      Session s = sa.getSession();
      String name = s.getMeta().getName();
      wanted.add(name);
      LocalInstance li = instances.get(s.getMeta().getTenant() + "/" + s.getStatus().getInstance());
      boolean open = li != null && li.sessions.containsKey(name);
      if (sa.getClose() || s.getStatus().getState() == SessionState.SESSION_CLOSING) {
        close(li, s.getMeta().getTenant(), name, SessionState.SESSION_CLOSED, "");
      } else if (!open && li != null && li.ready && s.getStatus().getState() == SessionState.SESSION_STARTING) {
        open(li, s);
      }
    }
    for (LocalInstance li : instances.values()) {
      for (String name : List.copyOf(li.sessions.keySet())) {
        if (!wanted.contains(name)) {
          ingress.close(name);
          li.sessions.remove(name);
          persist.accept(li);
        }
      }
    }
  }

  private void open(LocalInstance li, Session s) {
    String name = s.getMeta().getName();
    String tenant = s.getMeta().getTenant();
    li.sessions.put(name, 0);
    String instance = li.instance.getMeta().getName();
    CompletableFuture<Void> opened = server.isConnected(instance)
        ? server.open(instance, name, s.getSpec().getSessionData().toByteArray())
        : CompletableFuture.completedFuture(null);
    opened.whenComplete((v, e) -> onLoop.accept(() -> {
      if (e != null) {
        li.sessions.remove(name);
        outbox.session(tenant, name, SessionState.SESSION_LOST,
            "instance did not open the session: " + e.getMessage());
        outbox.flush();
        return;
      }
      try {
        int target = li.firstPort();
        SessionReport.Builder r = Outbox.sessionReport(tenant, name, SessionState.SESSION_AVAILABLE, "")
            .toBuilder();
        if (target > 0) {
          int port = ingress.open(name, li.running.target(target));
          li.sessions.put(name, port);
          r.addEndpoints(endpoint(li, port));
        }
        outbox.add(r.build());
      } catch (IOException ex) {
        li.sessions.remove(name);
        outbox.session(tenant, name, SessionState.SESSION_LOST, ex.getMessage());
      }
      persist.accept(li);
      outbox.flush();
    }));
  }

  /** Ends session {@code name} (on {@code li}, if it is open there) and reports {@code end}. */
  void close(LocalInstance li, String tenant, String name, SessionState end, String why) {
    if (li != null && li.sessions.remove(name) != null) {
      ingress.close(name);
      server.close(li.instance.getMeta().getName(), name, Duration.ofSeconds(5));
      persist.accept(li);
    }
    outbox.session(tenant, name, end, why);
  }

  /** The session server lost session {@code session} of {@code instance} (no heartbeat, ...). */
  void lost(String instance, String session, String why) {
    for (LocalInstance li : instances.values()) {
      if (li.instance.getMeta().getName().equals(instance) && li.sessions.remove(session) != null) {
        ingress.close(session);
        persist.accept(li);
        outbox.session(li.instance.getMeta().getTenant(), session, SessionState.SESSION_LOST, why);
      }
    }
    outbox.flush();
  }

  /** Closes the ingress ports of every session of {@code li} (it is ending). */
  void unbind(LocalInstance li) {
    li.sessions.keySet().forEach(ingress::close);
  }

  /**
   * After an agent restart: the open sessions of re-adopted {@code li} get their ingress ports
   * back (a port now taken loses its session), and wait for the instance to say hello again.
   */
  void readopt(LocalInstance li) {
    String tenant = li.instance.getMeta().getTenant();
    for (Map.Entry<String, Integer> s : Map.copyOf(li.sessions).entrySet()) {
      if (s.getValue() > 0) {
        try {
          ingress.reopen(s.getKey(), s.getValue(), li.running.target(li.firstPort()));
        } catch (IOException e) {
          li.sessions.remove(s.getKey());
          outbox.session(tenant, s.getKey(), SessionState.SESSION_LOST,
              "after the agent restarted: " + e.getMessage());
        }
      }
    }
    if (li.protocol) {
      server.awaitReconnect(li.instance.getMeta().getName(), li.sessions.keySet());
    }
  }

  /** The sessions open here, as AVAILABLE reports with their ingress endpoints. */
  List<SessionReport> openReports() {
    List<SessionReport> out = new ArrayList<>();
    for (LocalInstance li : instances.values()) {
      li.sessions.forEach((name, port) -> {
        SessionReport.Builder r = Outbox.sessionReport(li.instance.getMeta().getTenant(), name,
            SessionState.SESSION_AVAILABLE, "").toBuilder();
        if (port > 0) {
          r.addEndpoints(endpoint(li, port));
        }
        out.add(r.build());
      });
    }
    return out;
  }

  private Endpoint endpoint(LocalInstance li, int port) {
    return Endpoint.newBuilder().setName(li.ports.keySet().iterator().next()).setProtocol("tcp")
        .setHost(address).setPort(port).build();
  }
}
