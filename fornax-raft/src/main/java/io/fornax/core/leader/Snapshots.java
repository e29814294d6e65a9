package io.fornax.core.leader;

import com.google.protobuf.Message;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.Table;
import io.fornax.scheduler.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;

/** Freezes the applied state into the scheduler's immutable view. */
final class Snapshots {
  private Snapshots() {}

  static ClusterSnapshot of(ResourceState state) {
    return of(state, List.of());
  }

  /**
   * The applied state plus {@code held}: sessions of warm opens the leader offered to agents and
   * has not committed yet ({@link AgentOffers}), counted on their instances as if AVAILABLE, so a
   * plan does not bind a PENDING session to an instance whose room is promised (apply would keep
   * the plan's binding and send the warm open the ordinary way, opening it twice).
   */
  @SuppressWarnings("unchecked")
  static ClusterSnapshot of(ResourceState state, List<Session> held) {
    return state.readLive((tables, lifecycle) -> {
      // Live instances, open sessions still to settle, and the settled ones as counts per
      // instance: finished records hold nothing, settled ones need no decision.
      List<Session> sessions = new ArrayList<>(lifecycle.unsettledSessions());
      for (Session h : held) {
        if (!tables.get(Table.SESSIONS).containsKey(
            Table.SESSIONS.key(h.getMeta().getTenant(), h.getMeta().getName()))) {
          sessions.add(h.toBuilder().setStatus(h.getStatus().toBuilder()
              .setState(SessionState.SESSION_AVAILABLE)).build());
        }
      }
      return ClusterSnapshot.of(state.appliedIndexUnlocked(),
          (List<Node>) copy(tables.get(Table.NODES).values()),
          (List<Application>) copy(tables.get(Table.APPLICATIONS).values()),
          new ArrayList<>(lifecycle.liveInstances()), sessions, lifecycle.settledByInstance());
    });
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static List copy(java.util.Collection<Message> values) {
    return new ArrayList(values);
  }
}
