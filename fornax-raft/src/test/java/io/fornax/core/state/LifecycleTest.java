package io.fornax.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.SessionStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  private final ResourceState state = new ResourceState();
  private long index;

  private static Session session(String name, SessionState st, long closedAt) {
    return session(name, st, closedAt, "");
  }

  private static Session session(String name, SessionState st, long closedAt, String instance) {
    return Session.newBuilder().setMeta(ObjectMeta.newBuilder().setTenant("t").setName(name))
        .setStatus(SessionStatus.newBuilder().setState(st).setClosedAtMs(closedAt)
            .setInstance(instance)).build();
  }

  private static Instance instance(String name, InstanceState st, long updatedAt) {
    return Instance.newBuilder().setMeta(ObjectMeta.newBuilder().setTenant("t").setName(name)
        .setUpdatedAtMs(updatedAt)).setState(st).build();
  }

  /** Publishes one entry writing {@code value} (null: a delete) over what the key holds. */
  private void put(Table table, String name, com.google.protobuf.Message value) {
    String key = table.key("t", name);
    state.publish(List.of(new Change(table, key, value, state.get(table, key))), 1, ++index);
  }

  private List<String> unsettled() {
    return state.readLive((t, l) -> l.unsettledSessions().stream()
        .map(s -> s.getMeta().getName()).toList());
  }

  private Map<String, Integer> settled() {
    return state.readLive((t, l) -> l.settledByInstance());
  }

  private List<String> oldestFinished(int max) {
    return state.readLive((t, l) -> l.oldestFinishedSessions(max).stream()
        .map(s -> s.getMeta().getName()).toList());
  }

  @Test
  void sessionsSettleOnTheirInstanceThenFinishOldestFirst() {
    put(Table.SESSIONS, "b", session("b", SessionState.SESSION_PENDING, 0));
    put(Table.SESSIONS, "a", session("a", SessionState.SESSION_STARTING, 0, "i1"));
    put(Table.SESSIONS, "c", session("c", SessionState.SESSION_AVAILABLE, 0));
    assertEquals(List.of("a", "b", "c"), unsettled(), "AVAILABLE on no instance: not settled");

    put(Table.SESSIONS, "a", session("a", SessionState.SESSION_AVAILABLE, 0, "i1"));
    put(Table.SESSIONS, "c", session("c", SessionState.SESSION_IN_USE, 0, "i1"));
    put(Table.SESSIONS, "b", session("b", SessionState.SESSION_AVAILABLE, 0, "i2"));
    assertEquals(List.of(), unsettled());
    assertEquals(Map.of("t/i1", 2, "t/i2", 1), settled());
    put(Table.SESSIONS, "c", session("c", SessionState.SESSION_CLOSING, 0, "i1"));
    assertEquals(Map.of("t/i1", 2, "t/i2", 1), settled(), "CLOSING still holds its place");

    put(Table.SESSIONS, "c", session("c", SessionState.SESSION_CLOSED, 500, "i1"));
    put(Table.SESSIONS, "a", session("a", SessionState.SESSION_LOST, 900, "i1"));
    put(Table.SESSIONS, "b", session("b", SessionState.SESSION_TIMEOUT, 500, "i2"));
    assertEquals(List.of(), unsettled());
    assertEquals(Map.of(), settled());
    assertEquals(List.of("b", "c", "a"), oldestFinished(10), "by finish time, then key");
    assertEquals(List.of("b", "c"), oldestFinished(2));

    // A finished record written again (a later close time) moves; a deleted one leaves.
    put(Table.SESSIONS, "b", session("b", SessionState.SESSION_CLOSED, 1_000));
    put(Table.SESSIONS, "c", null);
    assertEquals(List.of("a", "b"), oldestFinished(10));
    assertEquals(2, state.<Integer>readLive((t, l) -> l.finishedSessionCount()));
    LifecycleCheck.matchesTables(state);
  }

  @Test
  void instancesAreLiveUntilTerminatingAndFinishedOnceTerminatedOrFailed() {
    put(Table.INSTANCES, "i1", instance("i1", InstanceState.INSTANCE_READY, 1));
    put(Table.INSTANCES, "i2", instance("i2", InstanceState.INSTANCE_ALLOCATED, 1));
    put(Table.INSTANCES, "i3", instance("i3", InstanceState.INSTANCE_PENDING, 1));
    put(Table.INSTANCES, "i1", instance("i1", InstanceState.INSTANCE_TERMINATING, 5));
    assertEquals(List.of("i2", "i3"), liveNames());
    assertEquals(0, state.<Integer>readLive((t, l) -> l.finishedInstanceCount()));

    put(Table.INSTANCES, "i1", instance("i1", InstanceState.INSTANCE_TERMINATED, 9));
    put(Table.INSTANCES, "i3", instance("i3", InstanceState.INSTANCE_FAILED, 7));
    assertEquals(List.of("i2"), liveNames());
    assertEquals(List.of("i3", "i1"), state.readLive((t, l) -> l.oldestFinishedInstances(5)
        .stream().map(i -> i.getMeta().getName()).toList()));
    LifecycleCheck.matchesTables(state);
  }

  @Test
  void aLoadedOrReplacedStateBringsItsIndex() {
    ResourceState loaded = new ResourceState();
    loaded.load(Table.SESSIONS, "t/x", session("x", SessionState.SESSION_AVAILABLE, 0, "i"));
    loaded.load(Table.SESSIONS, "t/y", session("y", SessionState.SESSION_CLOSED, 3));
    loaded.load(Table.INSTANCES, "t/i", instance("i", InstanceState.INSTANCE_READY, 1));
    LifecycleCheck.matchesTables(loaded);

    put(Table.SESSIONS, "old", session("old", SessionState.SESSION_AVAILABLE, 0));
    state.replaceWith(loaded);
    assertEquals(Map.of("t/i", 1), settled());
    assertEquals(List.of("y"), oldestFinished(10));
    LifecycleCheck.matchesTables(state);
  }

  private List<String> liveNames() {
    return state.readLive((t, l) -> l.liveInstances().stream()
        .map(i -> i.getMeta().getName()).toList());
  }
}
