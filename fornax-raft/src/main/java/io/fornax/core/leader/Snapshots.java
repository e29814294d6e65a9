package io.fornax.core.leader;

import com.google.protobuf.Message;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.Session;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.Table;
import io.fornax.scheduler.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;

/** Freezes the applied state into the scheduler's immutable view. */
final class Snapshots {
  private Snapshots() {}

  @SuppressWarnings("unchecked")
  static ClusterSnapshot of(ResourceState state) {
    return state.read(tables -> ClusterSnapshot.of(state.appliedIndexUnlocked(),
        (List<Node>) copy(tables.get(Table.NODES).values()),
        (List<Application>) copy(tables.get(Table.APPLICATIONS).values()),
        (List<Instance>) copy(tables.get(Table.INSTANCES).values()),
        (List<Session>) copy(tables.get(Table.SESSIONS).values())));
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static List copy(java.util.Collection<Message> values) {
    return new ArrayList(values);
  }
}
