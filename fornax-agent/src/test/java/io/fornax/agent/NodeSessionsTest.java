package io.fornax.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.agent.ingress.Ingress;
import io.fornax.agent.runtime.RunningInstance;
import io.fornax.agent.session.SessionServer;
import io.fornax.agent.stream.AgentStream;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionAssignment;
import io.fornax.api.proto.SessionReport;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.SessionStatus;
import io.fornax.core.config.FreePorts;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's sessions follow the leader's assignment: a session open on another instance than
 * the assigned one, or no longer assigned (a warm open offered and then not committed), is
 * dropped; a session assigned as open that is not open here is reported LOST, once.
 */
class NodeSessionsTest {
  private final Map<String, LocalInstance> instances = new ConcurrentHashMap<>();
  private final Outbox outbox = new Outbox();
  private Ingress ingress;
  private NodeSessions sessions;

  @BeforeEach
  void setUp() {
    int base = FreePorts.range(5);
    ingress = new Ingress("127.0.0.1", base, base + 4);
    outbox.attach(new AgentStream("n1", List.of(), "token", () -> null, a -> { }, Runnable::run,
        null)); // never connected: reports wait in the outbox
    sessions = new NodeSessions(instances, new SessionServer((i, s, why) -> { },
        Duration.ofSeconds(5)), ingress, outbox, "127.0.0.1", li -> { }, Runnable::run);
    for (String name : new String[] {"i1", "i2"}) {
      Map<String, Integer> ports = new LinkedHashMap<>();
      ports.put("main", FreePorts.one());
      LocalInstance li = new LocalInstance(Instance.newBuilder().setMeta(ObjectMeta.newBuilder()
          .setTenant("t").setName(name)).setNode("n1").build(), ApplicationSpec.getDefaultInstance(),
          "process", new Idle(name), ports, "secret");
      li.ready = true;
      instances.put(li.key(), li);
    }
  }

  @AfterEach
  void tearDown() {
    ingress.close();
  }

  private static SessionAssignment assigned(String name, String instance, SessionState st) {
    return SessionAssignment.newBuilder().setSession(Session.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setTenant("t").setName(name))
        .setStatus(SessionStatus.newBuilder().setState(st).setInstance(instance).setNode("n1")))
        .build();
  }

  private LocalInstance li(String name) {
    return instances.get("t/" + name);
  }

  @Test
  void aSessionMovedToAnotherInstanceIsDroppedWhereItWasAndOpenedWhereItIs() {
    sessions.reconcile(List.of(assigned("s1", "i1", SessionState.SESSION_STARTING)));
    assertTrue(li("i1").sessions.containsKey("s1"));
    SessionReport first = outbox.waitingSessions().get(0);
    assertEquals(SessionState.SESSION_AVAILABLE, first.getState());
    assertEquals("i1", first.getInstance(), "reports name the instance");
    int port = li("i1").sessions.get("s1");
    assertEquals(1, ingress.openRoutes());

    sessions.reconcile(List.of(assigned("s1", "i2", SessionState.SESSION_STARTING)));
    assertFalse(li("i1").sessions.containsKey("s1"), "dropped from i1");
    assertTrue(li("i2").sessions.containsKey("s1"), "opened on i2");
    assertEquals("i2", outbox.waitingSessions().get(1).getInstance());
    assertEquals(1, ingress.openRoutes(), "i1's ingress port " + port + " closed");

    sessions.reconcile(List.of());
    assertTrue(li("i2").sessions.isEmpty(), "no longer assigned: dropped");
    assertEquals(0, ingress.openRoutes());
    assertEquals(2, outbox.waitingSessions().size(), "dropping reports nothing");
  }

  @Test
  void aSessionAssignedOpenButNotOpenHereIsReportedLostOnce() {
    sessions.reconcile(List.of(assigned("s1", "i1", SessionState.SESSION_AVAILABLE)));
    assertEquals(1, outbox.waitingSessions().size());
    SessionReport lost = outbox.waitingSessions().get(0);
    assertEquals(SessionState.SESSION_LOST, lost.getState());
    assertEquals("i1", lost.getInstance());
    assertTrue(lost.getReason().contains("not open"), lost.getReason());

    sessions.reconcile(List.of(assigned("s1", "i1", SessionState.SESSION_AVAILABLE)));
    assertEquals(1, outbox.waitingSessions().size(), "once");
  }

  /** An instance that runs and never exits; its ports are not listened on (nothing connects). */
  private record Idle(String id) implements RunningInstance {
    @Override
    public long pid() {
      return 0;
    }

    @Override
    public long startTime() {
      return 0;
    }

    @Override
    public CompletableFuture<Integer> exit() {
      return new CompletableFuture<>();
    }

    @Override
    public void freeze() {}

    @Override
    public void resume() {}

    @Override
    public boolean frozen() {
      return false;
    }

    @Override
    public CompletableFuture<Integer> terminate(Duration grace) {
      return CompletableFuture.completedFuture(0);
    }
  }
}
