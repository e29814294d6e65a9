package io.fornax.core.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.proto.CollectCmd;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.ResourceRef;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.SessionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollectorTest {
  private static Session session(String name, SessionState state, long closedAt) {
    return Session.newBuilder().setMeta(ObjectMeta.newBuilder().setTenant("t").setName(name))
        .setStatus(SessionStatus.newBuilder().setState(state).setClosedAtMs(closedAt)).build();
  }

  private static Instance instance(String name, InstanceState state, long updatedAt) {
    return Instance.newBuilder().setMeta(ObjectMeta.newBuilder().setTenant("t").setName(name)
        .setUpdatedAtMs(updatedAt)).setState(state).build();
  }

  private static List<String> names(List<ResourceRef> refs) {
    return refs.stream().map(ResourceRef::getName).toList();
  }

  @Test
  void collectsThosePastTheRetention() {
    Collector c = new Collector(Duration.ofSeconds(60), 1000, 100);
    List<Session> sessions = List.of(
        session("old-closed", SessionState.SESSION_CLOSED, 1_000),
        session("old-lost", SessionState.SESSION_LOST, 2_000),
        session("young-closed", SessionState.SESSION_CLOSED, 90_000));
    List<Instance> instances = List.of(
        instance("gone", InstanceState.INSTANCE_TERMINATED, 1_000),
        instance("failed", InstanceState.INSTANCE_FAILED, 5_000));
    CollectCmd cmd = c.collect(sessions, sessions.size(), instances, instances.size(), 100_000);
    assertEquals(List.of("old-closed", "old-lost"), names(cmd.getSessionsList()));
    assertEquals(List.of("gone", "failed"), names(cmd.getInstancesList()));
  }

  @Test
  void beyondTheBoundTheOldestGoFirstWhateverTheirAge() {
    Collector c = new Collector(Duration.ofHours(1), 2, 100);
    List<Session> sessions = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      sessions.add(session("s" + i, SessionState.SESSION_CLOSED, i * 1_000L));
    }
    assertEquals(List.of("s1", "s2", "s3"),
        names(c.collect(sessions, 5, List.of(), 0, 10_000).getSessionsList()));
    // Only the oldest are handed over: the count says how far over the bound they are.
    assertEquals(List.of("s1", "s2"),
        names(c.collect(sessions.subList(0, 2), 5, List.of(), 0, 10_000).getSessionsList()));
    assertEquals(List.of("s1"),
        names(c.collect(sessions.subList(0, 2), 3, List.of(), 0, 10_000).getSessionsList()));
  }

  @Test
  void oneCommandCarriesAtMostABatch() {
    Collector c = new Collector(Duration.ZERO, 0, 3);
    List<Session> sessions = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sessions.add(session("s" + i, SessionState.SESSION_TIMEOUT, i));
    }
    assertEquals(3, c.collect(sessions, 10, List.of(), 0, 100).getSessionsCount());
    assertEquals(3, c.batch());
  }
}
