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
  void collectsOnlyFinishedOnesPastTheRetention() {
    Collector c = new Collector(Duration.ofSeconds(60), 1000, 100);
    CollectCmd cmd = c.collect(List.of(
        session("old-closed", SessionState.SESSION_CLOSED, 1_000),
        session("old-lost", SessionState.SESSION_LOST, 2_000),
        session("young-closed", SessionState.SESSION_CLOSED, 90_000),
        session("open", SessionState.SESSION_AVAILABLE, 0)), List.of(
        instance("gone", InstanceState.INSTANCE_TERMINATED, 1_000),
        instance("failed", InstanceState.INSTANCE_FAILED, 5_000),
        instance("terminating", InstanceState.INSTANCE_TERMINATING, 0),
        instance("ready", InstanceState.INSTANCE_READY, 0)), 100_000);
    assertEquals(List.of("old-closed", "old-lost"), names(cmd.getSessionsList()));
    assertEquals(List.of("gone", "failed"), names(cmd.getInstancesList()));
  }

  @Test
  void beyondTheBoundTheOldestGoFirstWhateverTheirAge() {
    Collector c = new Collector(Duration.ofHours(1), 2, 100);
    List<Session> sessions = new ArrayList<>();
    for (int i = 5; i >= 1; i--) {
      sessions.add(session("s" + i, SessionState.SESSION_CLOSED, i * 1_000L));
    }
    assertEquals(List.of("s1", "s2", "s3"),
        names(c.collect(sessions, List.of(), 10_000).getSessionsList()));
  }

  @Test
  void oneCommandCarriesAtMostABatch() {
    Collector c = new Collector(Duration.ZERO, 0, 3);
    List<Session> sessions = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sessions.add(session("s" + i, SessionState.SESSION_TIMEOUT, i));
    }
    assertEquals(3, c.collect(sessions, List.of(), 100).getSessionsCount());
  }
}
