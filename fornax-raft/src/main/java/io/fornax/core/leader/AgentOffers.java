package io.fornax.core.leader;

import io.fornax.api.Nullable;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionAssignment;
import io.fornax.api.proto.SessionReport;
import io.fornax.api.proto.SessionState;
import io.fornax.core.command.SessionCommands;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The leader's offers to agents: session opens (reserving an idle instance) and closes that an
 * agent carries out before they are committed. An open that finds an idle instance on a
 * connected node reserves it here and is offered to that node's agent before anything is proposed; the
 * agent opens the session as if it were assigned, and its AVAILABLE report answers the offer
 * instead of being committed. The open is then proposed once, already bound and AVAILABLE, and
 * apply re-checks the instance. So a warm open costs the agent's round trip and one commit,
 * where binding at apply and committing the agent's report cost two commits in a row.
 *
 * <p>Reservations live in the leader's memory only: the log never sees them, and they hold an
 * instance's room against other warm opens on this leader until the open is committed. Opens
 * proposed elsewhere (another replica's forwarded open, a scheduler plan) do not see them; the
 * re-check at apply settles such a race, and the offer's session, absent from the state, leaves
 * the agent's next assignment.
 *
 * <p>A close works the same way: the open session is assigned with its close flag, the agent
 * closes it and its CLOSED report answers the offer, and the close is proposed once, already
 * confirmed (CLOSED, the instance released), where CLOSING and the agent's report were two
 * commits.
 */
final class AgentOffers {
  /**
   * An open (or, with {@code close}, a close) offered to {@code node}'s agent on instance
   * {@code instanceKey}: what the agent is told about the session until the offer ends.
   */
  record Offer(String sessionKey, String node, String instanceKey, String instance,
      SessionAssignment assignment, CompletableFuture<SessionReport> answer, boolean close) {}

  private final Map<String, Offer> bySession = new HashMap<>();
  private final Map<String, Integer> heldByInstance = new HashMap<>();

  /**
   * Reserves room for {@code pending} (an open not proposed yet) on an instance of {@code app}
   * that can take it now, on a READY node whose agent is {@code reachable}; null if there is
   * none. The instances are tried in the order apply would try them.
   */
  synchronized @Nullable Offer reserve(ResourceState state, Session pending, Application app,
      Predicate<String> reachable) {
    String tenant = app.getMeta().getTenant();
    int perInstance = app.getSpec().getSession().getSessionsPerInstance();
    // Instances held by other offers are passed over without counting: under load the first
    // ones in key order are all held, and the open must still find a free one behind them.
    int looked = 0;
    for (String key : state.servingKeys(tenant, app.getMeta().getName(), perInstance > 1,
        SessionCommands.BIND_CANDIDATES + heldByInstance.size())) {
      Instance i = state.get(Table.INSTANCES, key);
      int held = heldByInstance.getOrDefault(key, 0);
      if (held == 0 && ++looked > SessionCommands.BIND_CANDIDATES) {
        return null;
      }
      if (i == null || !SessionCommands.hasRoom(i, perInstance, held)
          || !reachable.test(i.getNode())) {
        continue;
      }
      Node node = state.get(Table.NODES, i.getNode());
      if (node == null || !SessionCommands.takesSessions(node)) {
        continue;
      }
      Session starting = pending.toBuilder().setStatus(pending.getStatus().toBuilder()
          .setState(SessionState.SESSION_STARTING).setInstance(i.getMeta().getName())
          .setNode(i.getNode())).build();
      Offer o = new Offer(Table.SESSIONS.key(tenant, pending.getMeta().getName()), i.getNode(),
          key, i.getMeta().getName(), SessionAssignment.newBuilder().setSession(starting).build(),
          new CompletableFuture<>(), false);
      bySession.put(o.sessionKey(), o);
      heldByInstance.merge(key, 1, Integer::sum);
      return o;
    }
    return null;
  }

  /**
   * Offers the close of open session {@code s} to its agent, which closes it before the close is
   * proposed (then committed CLOSED in one entry); null if an offer for it is in flight already.
   * The instance's room is not held: it is freed by the commit.
   */
  synchronized @Nullable Offer offerClose(Session s) {
    String key = Table.SESSIONS.key(s.getMeta().getTenant(), s.getMeta().getName());
    if (bySession.containsKey(key)) {
      return null;
    }
    Offer o = new Offer(key, s.getStatus().getNode(),
        Table.INSTANCES.key(s.getMeta().getTenant(), s.getStatus().getInstance()),
        s.getStatus().getInstance(),
        SessionAssignment.newBuilder().setSession(s).setClose(true).build(),
        new CompletableFuture<>(), true);
    bySession.put(key, o);
    return o;
  }

  /**
   * Takes report {@code r} from {@code node}'s agent as the answer to its offer, if it is one
   * that is still awaited: true if it was consumed (it must not be committed then). A late answer
   * (the offer gave up) is not consumed.
   */
  boolean answer(String node, SessionReport r) {
    Offer o;
    synchronized (this) {
      o = bySession.get(Table.SESSIONS.key(r.getTenant(), r.getName()));
    }
    if (o == null || !o.node().equals(node)
        || (!r.getInstance().isEmpty() && !r.getInstance().equals(o.instance()))) {
      return false;
    }
    return o.answer().complete(r); // outside the lock: the open is proposed from here
  }

  /** Ends offer {@code o}: its instance's room is no longer held and its agent no longer told. */
  void release(Offer o) {
    synchronized (this) {
      if (bySession.remove(o.sessionKey(), o) && !o.close()) {
        heldByInstance.computeIfPresent(o.instanceKey(), (k, n) -> n > 1 ? n - 1 : null);
      }
    }
    o.answer().complete(null);
  }

  /** The opens and closes offered to {@code node}'s agent and not released yet. */
  synchronized List<SessionAssignment> offeredTo(String node) {
    List<SessionAssignment> out = new ArrayList<>();
    for (Offer o : bySession.values()) {
      if (o.node().equals(node)) {
        out.add(o.assignment());
      }
    }
    return out;
  }

  /** Stepping down: every awaited answer gives up (the opens go the ordinary way). */
  void giveUpAll() {
    List<Offer> all;
    synchronized (this) {
      all = List.copyOf(bySession.values());
    }
    all.forEach(o -> o.answer().complete(null));
  }

  /** The opens offered to agents and not released yet: their sessions, STARTING. */
  synchronized List<Session> offered() {
    List<Session> out = new ArrayList<>();
    for (Offer o : bySession.values()) {
      if (!o.close()) {
        out.add(o.assignment().getSession());
      }
    }
    return out;
  }

  synchronized int size() {
    return bySession.size();
  }
}
