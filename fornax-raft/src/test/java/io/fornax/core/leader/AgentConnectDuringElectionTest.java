package io.fornax.core.leader;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.CoreNode;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.LoopbackCluster;
import io.fornax.core.server.Tokens;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that knows no leader holds an agent's connect until it learns one (bounded), rather
 * than sending the node away to poll: during an election every node asks once and hears of the
 * new leader when the replica does. (Its timing is left to the e2e benchmark.)
 */
class AgentConnectDuringElectionTest {
  private static final String ADMIN = "admin.election-test";
  @TempDir Path tmp;

  @Test
  void aConnectWaitsForTheElectionAndNamesTheLeader() throws Exception {
    List<CoreConfig> configs = LoopbackCluster.configs(tmp, 3, Tokens.sha256Hex(ADMIN));
    List<CoreNode> nodes = new ArrayList<>();
    nodes.add(start(configs.get(0))); // alone: no quorum, no leader
    FornaxConnection c = FornaxConnection.connect("127.0.0.1", nodes.get(0).apiPort(), ADMIN,
        Duration.ofSeconds(5));
    try {
      List<Response> answers = new CopyOnWriteArrayList<>();
      connect(c, answers);
      await("no answer while no leader is known").during(Duration.ofMillis(700))
          .atMost(Duration.ofSeconds(1)).until(answers::isEmpty);

      nodes.add(start(configs.get(1)));
      nodes.add(start(configs.get(2)));
      // As an agent does: a wait that ended before the election did is asked again.
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        if (answers.isEmpty()) {
          return false;
        }
        Response last = answers.get(answers.size() - 1);
        if (last.getError().getLeaderApi().isEmpty()) {
          answers.clear();
          connect(c, answers);
          return false;
        }
        return true;
      });
      Response named = answers.get(answers.size() - 1);
      assertEquals(ErrorCode.NOT_LEADER, named.getError().getCode());
      String leaderApi = named.getError().getLeaderApi();
      // A member of the group (which one leads may change again by the time this runs).
      assertTrue(nodes.stream().anyMatch(n -> leaderApi.endsWith(":" + n.apiPort())),
          "names a replica: " + leaderApi);
    } finally {
      c.close();
      for (CoreNode n : nodes) {
        n.close();
      }
    }
  }

  /**
   * After a leader dies, the survivors name it until their election timeout fires. A node that
   * says it lost that leader is held instead of being sent back to it, and is told the next one.
   */
  @Test
  void aConnectNamingTheLostLeaderWaitsForTheNextOne() throws Exception {
    List<CoreConfig> configs = LoopbackCluster.configs(tmp, 3, Tokens.sha256Hex(ADMIN));
    List<CoreNode> nodes = new ArrayList<>();
    for (CoreConfig cfg : configs) {
      nodes.add(start(cfg));
    }
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream()
          .anyMatch(n -> n.replica().clusterStatus().getLeader().equals(n.id())));
      CoreNode leader = nodes.stream()
          .filter(n -> n.replica().clusterStatus().getLeader().equals(n.id())).findFirst().get();
      CoreNode follower = nodes.stream().filter(n -> n != leader).findFirst().get();
      String leaderApi = "127.0.0.1:" + leader.apiPort();
      try (FornaxConnection c = FornaxConnection.connect("127.0.0.1", follower.apiPort(), ADMIN,
          Duration.ofSeconds(5))) {
        List<Response> plain = new CopyOnWriteArrayList<>();
        connect(c, plain, "");
        await("a node that lost nothing is told the leader at once").atMost(Duration.ofSeconds(1))
            .until(() -> !plain.isEmpty());
        assertEquals(leaderApi, plain.get(0).getError().getLeaderApi());

        List<Response> held = new CopyOnWriteArrayList<>();
        connect(c, held, leaderApi);
        await("not sent back to the leader it lost").during(Duration.ofMillis(500))
            .atMost(Duration.ofSeconds(1)).until(held::isEmpty);
        leader.close();
        nodes.remove(leader);
        // As an agent does: a wait that ended before the survivors moved on is asked again.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          if (held.isEmpty()) {
            return false;
          }
          Response last = held.get(held.size() - 1);
          if (last.getError().getLeaderApi().isEmpty()
              || last.getError().getLeaderApi().equals(leaderApi)) {
            held.clear();
            connect(c, held, leaderApi);
            return false;
          }
          return true;
        });
        String next = held.get(held.size() - 1).getError().getLeaderApi();
        assertTrue(nodes.stream().anyMatch(n -> next.equals("127.0.0.1:" + n.apiPort())),
            "names a live replica: " + next);
      }
    } finally {
      for (CoreNode n : nodes) {
        n.close();
      }
    }
  }

  private static CoreNode start(CoreConfig c) throws Exception {
    return CoreNode.start(c, c.adminTokenHash, Clock.systemUTC());
  }

  private static void connect(FornaxConnection c, List<Response> answers) {
    connect(c, answers, "");
  }

  private static void connect(FornaxConnection c, List<Response> answers, String lostLeader) {
    Node node = Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n1"))
        .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setSimulated(true)
            .setCapacity(Capacity.newBuilder().setCpuMillis(1000).setMemoryBytes(1L << 30)
                .setMaxInstances(1)))
        .build();
    c.stream(Request.newBuilder().setAgentConnect(AgentConnectRequest.newBuilder().setNode(node)
        .setLostLeader(lostLeader)).build(), answers::add, e -> { });
  }
}
