package io.fornax.agent.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Error;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Node;
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
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        Request r = Request.parseFrom(frame);
        asked.incrementAndGet();
        byte[] answer = Response.newBuilder().setId(r.getId()).setError(Error.newBuilder()
            .setCode(ErrorCode.NOT_LEADER).setMessage("no leader elected yet")).build()
            .toByteArray();
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(answer.length);
        out.write(answer);
        out.flush();
        in.read(); // until the node hangs up
      } catch (IOException e) {
        // the node hung up, or the test is over
      }
    }
  }
}
