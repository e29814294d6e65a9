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
import java.util.HashMap;
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
  /** Sessions assigned as open that are not, already reported LOST. */
  private final Set<String> missing = new HashSet<>();

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

  /**
   * Opens and closes sessions towards what the leader assigned to this node. A session open here
   * that is not assigned, or assigned to another instance, is dropped first (a warm open the
   * leader offered and then did not commit, or committed elsewhere). A session assigned as open
   * that is not open here is reported LOST: the state must not keep a dead endpoint.
   */
  void reconcile(List<SessionAssignment> desired) {
    Map<String, String> wanted = new HashMap<>();
    for (SessionAssignment sa : desired) {
      wanted.put(sa.getSession().getMeta().getName(), sa.getSession().getStatus().getInstance());
    }
    for (LocalInstance li : instances.values()) {
      for (String name : List.copyOf(li.sessions.keySet())) {
        if (!li.instance.getMeta().getName().equals(wanted.get(name))) {
          li.sessions.remove(name);
          ingress.close(name);
          server.close(li.instance.getMeta().getName(), name, Duration.ofSeconds(5));
          persist.accept(li);
        }
      }
    }
    missing.retainAll(wanted.keySet());
    for (SessionAssignment sa : desired) {
      Session s = sa.getSession();
      String name = s.getMeta().getName();
      LocalInstance li = instances.get(s.getMeta().getTenant() + "/" + s.getStatus().getInstance());
      boolean open = li != null && li.sessions.containsKey(name);
      SessionState st = s.getStatus().getState();
      if (sa.getClose() || st == SessionState.SESSION_CLOSING) {
        close(li, s.getMeta().getTenant(), name, SessionState.SESSION_CLOSED, "");
      } else if (!open && li != null && li.ready && st == SessionState.SESSION_STARTING) {
        open(li, s);
      } else if (!open && li != null && li.ready && !li.terminating
          && (st == SessionState.SESSION_AVAILABLE || st == SessionState.SESSION_IN_USE)
          && missing.add(name)) {
        outbox.add(report(li, name, SessionState.SESSION_LOST,
            "not open on instance " + s.getStatus().getInstance() + " of this node"));
      }
    }
  }

  private void open(LocalInstance li, Session s) {
    String name = s.getMeta().getName();
    li.sessions.put(name, 0);
    String instance = li.instance.getMeta().getName();
    CompletableFuture<Void> opened = server.isConnected(instance)
        ? server.open(instance, name, s.getSpec().getSessionData().toByteArray())
        : CompletableFuture.completedFuture(null);
    opened.whenComplete((v, e) -> onLoop.accept(() -> {
      if (!li.sessions.containsKey(name)) {
        return; // closed or dropped while the instance was opening it: nothing to report
      }
      if (e != null) {
        li.sessions.remove(name);
        outbox.add(report(li, name, SessionState.SESSION_LOST,
            "instance did not open the session: " + e.getMessage()));
        outbox.flush();
        return;
      }
      try {
        int target = li.firstPort();
        SessionReport.Builder r = report(li, name, SessionState.SESSION_AVAILABLE, "").toBuilder();
        if (target > 0) {
          int port = ingress.open(name, li.running.target(target));
          li.sessions.put(name, port);
          r.addEndpoints(endpoint(li, port));
        }
        outbox.add(r.build());
      } catch (IOException ex) {
        li.sessions.remove(name);
        outbox.add(report(li, name, SessionState.SESSION_LOST, ex.getMessage()));
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
    outbox.add(li == null ? Outbox.sessionReport(tenant, name, end, why)
        : report(li, name, end, why));
  }

  /** The session server lost session {@code session} of {@code instance} (no heartbeat, ...). */
  void lost(String instance, String session, String why) {
    for (LocalInstance li : instances.values()) {
      if (li.instance.getMeta().getName().equals(instance) && li.sessions.remove(session) != null) {
        ingress.close(session);
        persist.accept(li);
        outbox.add(report(li, session, SessionState.SESSION_LOST, why));
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

  /** A report on session {@code name} of instance {@code li}. */
  private static SessionReport report(LocalInstance li, String name, SessionState st, String why) {
    return Outbox.sessionReport(li.instance.getMeta().getTenant(), name, st, why).toBuilder()
        .setInstance(li.instance.getMeta().getName()).build();
  }

  private Endpoint endpoint(LocalInstance li, int port) {
    return Endpoint.newBuilder().setName(li.ports.keySet().iterator().next()).setProtocol("tcp")
        .setHost(address).setPort(port).build();
  }
}
