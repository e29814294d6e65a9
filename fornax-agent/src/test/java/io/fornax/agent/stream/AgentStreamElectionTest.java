package io.fornax.agent.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Error;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeAssignment;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * While replicas answer "no leader" (an election), a node keeps asking at a short, steady pace;
 * only unreachable replicas make it back off. With the doubling backoff a node asked 7 times in
 * about 6 s and then waited 5 s between attempts, so it reached a new leader seconds late.
 */
class AgentStreamElectionTest {
  @Test
  void keepsAskingWhileReplicasReportAnElection() throws Exception {
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger asked = new AtomicInteger();
    try (ServerSocket leaderless = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread replica = new Thread(() -> answerNoLeader(leaderless, asked), "leaderless-replica");
      replica.setDaemon(true);
      replica.start();
      Node node = Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n1"))
          .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setSimulated(true)
              .setCapacity(Capacity.newBuilder().setCpuMillis(1000).setMemoryBytes(1L << 30)
                  .setMaxInstances(1)))
          .build();
      AgentStream stream = new AgentStream("n1",
          List.of("127.0.0.1:" + leaderless.getLocalPort()), "token",
          () -> AgentConnectRequest.newBuilder().setNode(node).build(), a -> { }, loop::execute,
          null);
      loop.scheduleWithFixedDelay(stream::tick, 0, 50, TimeUnit.MILLISECONDS);
      // 12 attempts: about 2-4 s at the election pace; 20+ s with a doubling backoff.
      await("12 attempts during the election").atMost(Duration.ofSeconds(10))
          .until(() -> asked.get() >= 12);
      loop.submit(stream::close).get();
    } finally {
      loop.shutdownNow();
    }
  }

  /**
   * The leader dies under a connected node; the surviving replica still names it (its election
   * timeout has not fired). The node must keep asking at the election pace, not back off
   * through the stale hints: with the doubling backoff it asked the survivor about 3 times in
   * 3 s and then waited seconds more, behind the new leader.
   */
  @Test
  void afterLosingItsLeaderANodeKeepsAskingThroughStaleHints() throws Exception {
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger asked = new AtomicInteger();
    AtomicInteger assignments = new AtomicInteger();
    try (ServerSocket leader = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket survivor = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String leaderApi = "127.0.0.1:" + leader.getLocalPort();
      Thread dying = new Thread(() -> assignOnceAndDie(leader), "dying-leader");
      dying.setDaemon(true);
      dying.start();
      List<String> lostLeaders = new CopyOnWriteArrayList<>();
      Thread stale = new Thread(() -> answer(survivor, asked, leaderApi, lostLeaders),
          "stale-replica");
      stale.setDaemon(true);
      stale.start();
      AgentStream stream = new AgentStream("n1",
          List.of(leaderApi, "127.0.0.1:" + survivor.getLocalPort()), "token",
          () -> AgentConnectRequest.newBuilder().setNode(node()).build(),
          a -> assignments.incrementAndGet(), loop::execute, null);
      loop.scheduleWithFixedDelay(stream::tick, 0, 20, TimeUnit.MILLISECONDS);
      await("connected to the leader").atMost(Duration.ofSeconds(10))
          .until(() -> assignments.get() == 1);
      dying.join(10_000); // the leader is gone: its port refuses from now on
      long lost = System.nanoTime();
      await("10 attempts through the stale hints").atMost(Duration.ofSeconds(10))
          .until(() -> asked.get() >= 10);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lost);
      assertTrue(ms < 3_000, "10 attempts took " + ms + " ms: the node backed off");
      assertEquals(List.of(leaderApi), lostLeaders.stream().distinct().toList(),
          "each connect names the leader the node lost, so a replica can hold it");
      loop.submit(stream::close).get();
    } finally {
      loop.shutdownNow();
    }
  }

  @Test
  void theWaitFollowsWhatTheReplicaSaid() {
    assertEquals(0, AgentStream.retryDelayMs(true, false, 3_200, 40), "towards a named leader");
    assertEquals(AgentStream.ELECTION_RETRY_MS + 40, AgentStream.retryDelayMs(false, true, 3_200, 40),
        "an election: short, whatever the backoff reached");
    assertEquals(3_200, AgentStream.retryDelayMs(false, false, 3_200, 40), "unreachable: backoff");
    assertTrue(AgentStream.ELECTION_RETRY_MS < 1_000);
  }

  /** A replica in an election: reads each request frame, answers NOT_LEADER with no leader. */
  private static void answerNoLeader(ServerSocket server, AtomicInteger asked) {
    answer(server, asked, "", new CopyOnWriteArrayList<>());
  }

  /** Answers each connect NOT_LEADER naming {@code leaderApi} (empty: no leader known). */
  private static void answer(ServerSocket server, AtomicInteger asked, String leaderApi,
      List<String> lostLeaders) {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        Request r = read(in);
        lostLeaders.add(r.getAgentConnect().getLostLeader());
        asked.incrementAndGet();
        write(s, Response.newBuilder().setId(r.getId()).setError(Error.newBuilder()
            .setCode(ErrorCode.NOT_LEADER).setLeaderApi(leaderApi)
            .setMessage(leaderApi.isEmpty() ? "no leader elected yet" : "not the leader"))
            .build());
        in.read(); // until the node hangs up
      } catch (IOException e) {
        // the node hung up, or the test is over
      }
    }
  }

  /** A leader that accepts one node, sends it an assignment, and dies (its port closes). */
  private static void assignOnceAndDie(ServerSocket server) {
    try (server; Socket s = server.accept()) {
      Request r = read(new DataInputStream(s.getInputStream()));
      write(s, Response.newBuilder().setId(r.getId())
          .setAssignment(NodeAssignment.newBuilder().setRevision(1)).build());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Request read(DataInputStream in) throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return Request.parseFrom(frame);
  }

  private static void write(Socket s, Response r) throws IOException {
    byte[] answer = r.toByteArray();
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    out.writeInt(answer.length);
    out.write(answer);
    out.flush();
  }

  private static Node node() {
    return Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n1"))
        .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setSimulated(true)
            .setCapacity(Capacity.newBuilder().setCpuMillis(1000).setMemoryBytes(1L << 30)
                .setMaxInstances(1)))
        .build();
  }
}
