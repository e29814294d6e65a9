package io.fornax.core.leader;

import static io.fornax.core.leader.SchedulingCluster.createApp;
import static io.fornax.core.leader.SchedulingCluster.createTenant;
import static io.fornax.core.leader.SchedulingCluster.live;
import static io.fornax.core.leader.SchedulingCluster.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.AgentReportRequest;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.CloseSessionRequest;
import io.fornax.api.proto.Endpoint;
import io.fornax.api.proto.GetRequest;
import io.fornax.api.proto.InstanceAssignment;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeAssignment;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionAssignment;
import io.fornax.api.proto.SessionReport;
import io.fornax.api.proto.SessionState;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.CoreNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm opens on a real 3-replica core with a scripted agent on the stream: an open on the leader
 * with an idle instance at hand is offered to the agent first and committed once, AVAILABLE; an
 * agent that does not answer has the open go the ordinary way under another name, and the
 * offered session leaves its assignments; an open on a follower goes the ordinary way.
 */
class WarmOpenOnClusterTest {
  @TempDir Path tmp;
  private SchedulingCluster cluster;
  private final ExecutorService agentThread = Executors.newSingleThreadExecutor();
  private String token;

  @BeforeEach
  void start() throws Exception {
    cluster = new SchedulingCluster(tmp, c -> { });
  }

  @AfterEach
  void stop() throws Exception {
    agentThread.shutdownNow();
    cluster.close();
  }

  /**
   * Node n1's agent: reports each instance READY, opens STARTING sessions it may answer, and
   * closes (reports CLOSED) the sessions it is told to close.
   */
  private final class ScriptedAgent {
    final FornaxConnection conn;
    final Set<String> ready = ConcurrentHashMap.newKeySet();
    final Set<String> answered = ConcurrentHashMap.newKeySet();
    final Set<String> closed = ConcurrentHashMap.newKeySet();
    /** Every session name it was asked to open. */
    final Set<String> asked = ConcurrentHashMap.newKeySet();
    final AtomicReference<NodeAssignment> last = new AtomicReference<>();
    final Predicate<String> answers;

    ScriptedAgent(CoreNode leader, Predicate<String> answers) {
      this.answers = answers;
      this.conn = cluster.connect(leader, SchedulingCluster.ADMIN);
      Node node = Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n1"))
          .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setSimulated(true)
              .setCapacity(Capacity.newBuilder().setCpuMillis(8000).setMemoryBytes(8L << 30)
                  .setMaxInstances(50)))
          .build();
      conn.stream(Request.newBuilder().setAgentConnect(AgentConnectRequest.newBuilder()
              .setNode(node)).build(),
          r -> agentThread.execute(() -> onAssignment(r)), e -> { });
    }

    private void onAssignment(Response r) {
      if (!r.hasAssignment()) {
        return;
      }
      last.set(r.getAssignment());
      AgentReportRequest.Builder report = AgentReportRequest.newBuilder().setNode("n1");
      for (InstanceAssignment a : r.getAssignment().getInstancesList()) {
        String name = a.getInstance().getMeta().getName();
        if (!a.getTerminate() && ready.add(name)) {
          report.addInstances(InstanceReport.newBuilder().setTenant(a.getInstance().getMeta()
              .getTenant()).setName(name).setState(InstanceState.INSTANCE_READY));
        }
      }
      for (SessionAssignment sa : r.getAssignment().getSessionsList()) {
        Session s = sa.getSession();
        String name = s.getMeta().getName();
        if (sa.getClose()) {
          if (closed.add(name)) {
            report.addSessions(SessionReport.newBuilder().setTenant(s.getMeta().getTenant())
                .setName(name).setInstance(s.getStatus().getInstance())
                .setState(SessionState.SESSION_CLOSED));
          }
        } else if (s.getStatus().getState() == SessionState.SESSION_STARTING) {
          asked.add(name);
          if (answers.test(name) && answered.add(name)) {
            report.addSessions(SessionReport.newBuilder().setTenant(s.getMeta().getTenant())
                .setName(name).setInstance(s.getStatus().getInstance())
                .setState(SessionState.SESSION_AVAILABLE)
                .addEndpoints(Endpoint.newBuilder().setName("http").setProtocol("tcp")
                    .setHost("127.0.0.1").setPort(7001)));
          }
        }
      }
      if (report.getInstancesCount() + report.getSessionsCount() > 0) {
        conn.call(Request.newBuilder().setAgentReport(report).build());
      }
    }
  }

  /** Tenant "t" with application "web" keeping one idle instance; a connection as the tenant. */
  private FornaxConnection warmApp(CoreNode on) {
    FornaxConnection admin = cluster.connect(cluster.leader(), SchedulingCluster.ADMIN);
    token = createTenant(admin, "t");
    FornaxConnection leaderConn = cluster.connect(cluster.leader(), token);
    createApp(leaderConn, "web", 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> live(leaderConn, "web").stream()
        .anyMatch(i -> i.getState() == InstanceState.INSTANCE_READY));
    return cluster.connect(on, token);
  }

  private static Session open(FornaxConnection c) {
    return ok(c, Request.newBuilder().setOpenSession(OpenSessionRequest.newBuilder()
        .setApplication("web"))).getResource().getSession();
  }

  private static Session get(FornaxConnection c, String name) {
    return ok(c, Request.newBuilder().setGet(GetRequest.newBuilder().setKind(Kind.SESSION)
        .setName(name))).getResource().getSession();
  }

  @Test
  void anOpenOnTheLeaderIsAnsweredAvailableInOneCommit() {
    ScriptedAgent agent = new ScriptedAgent(cluster.leader(), name -> true);
    FornaxConnection c = warmApp(cluster.leader());

    Session s = open(c);
    assertEquals(SessionState.SESSION_AVAILABLE, s.getStatus().getState(), s.toString());
    assertEquals(7001, s.getStatus().getEndpoints(0).getPort(), "the agent's endpoint");
    assertEquals(s.getMeta().getCreateRevision(), s.getMeta().getRevision(),
        "written once: the agent's report was not committed on its own");
    assertTrue(agent.asked.contains(s.getMeta().getName()), "offered before the commit");
    Session stored = get(cluster.connect(cluster.follower(), token), s.getMeta().getName());
    assertEquals(s.getStatus(), stored.getStatus(), "committed: a follower reads it");
  }

  @Test
  void aCloseOnTheLeaderIsAnsweredClosedInOneCommit() {
    ScriptedAgent agent = new ScriptedAgent(cluster.leader(), name -> true);
    FornaxConnection c = warmApp(cluster.leader());
    Session s = open(c);

    Session closed = ok(c, Request.newBuilder().setCloseSession(CloseSessionRequest.newBuilder()
        .setName(s.getMeta().getName()))).getResource().getSession();
    assertEquals(SessionState.SESSION_CLOSED, closed.getStatus().getState(),
        "the agent closed it before the commit: " + closed);
    assertTrue(agent.closed.contains(s.getMeta().getName()));
    assertEquals(closed.getStatus(), get(c, s.getMeta().getName()).getStatus());
    assertEquals(0, live(c, "web").stream().filter(i -> i.getMeta().getName()
        .equals(s.getStatus().getInstance())).findFirst().orElseThrow().getSessionsCount(),
        "its instance is free again");
  }

  @Test
  void anOpenOnAFollowerGoesTheOrdinaryWay() {
    new ScriptedAgent(cluster.leader(), name -> true);
    FornaxConnection c = warmApp(cluster.follower());

    Session s = open(c);
    assertEquals(SessionState.SESSION_STARTING, s.getStatus().getState(), "bound at apply");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        get(c, s.getMeta().getName()).getStatus().getState() == SessionState.SESSION_AVAILABLE);
    Session available = get(c, s.getMeta().getName());
    assertTrue(available.getMeta().getRevision() > available.getMeta().getCreateRevision(),
        "the agent's report was a second commit");
  }

  @Test
  void anOfferTheAgentDoesNotAnswerFallsBackUnderAnotherName() {
    Set<String> ignored = ConcurrentHashMap.newKeySet();
    ScriptedAgent agent = new ScriptedAgent(cluster.leader(), name -> {
      synchronized (ignored) { // the first session it is asked to open, never answered
        if (ignored.isEmpty()) {
          ignored.add(name);
        }
        return !ignored.contains(name);
      }
    });
    FornaxConnection c = warmApp(cluster.leader());

    long t0 = System.nanoTime();
    Session s = open(c);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= AgentGateway.OFFER_WAIT_MS - 50, "waited for the answer: " + ms + " ms");
    assertEquals(1, ignored.size());
    String offered = ignored.iterator().next();
    assertNotEquals(offered, s.getMeta().getName(), "the ordinary open has a fresh name");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        get(c, s.getMeta().getName()).getStatus().getState() == SessionState.SESSION_AVAILABLE);
    assertEquals(0, sessionsNamed(c, offered), "never in the state");
    await("the offered session leaves the agent's assignment").atMost(Duration.ofSeconds(10))
        .until(() -> agent.last.get().getSessionsList().stream()
            .noneMatch(sa -> sa.getSession().getMeta().getName().equals(offered)));
    assertFalse(agent.answered.contains(offered));
  }

  private static long sessionsNamed(FornaxConnection c, String name) {
    return SchedulingCluster.sessions(c, "web").stream()
        .filter(x -> x.getMeta().getName().equals(name)).count();
  }
}
