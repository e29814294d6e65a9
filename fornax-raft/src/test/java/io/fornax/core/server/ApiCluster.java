package io.fornax.core.server;

import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.CoreNode;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.LoopbackCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/** Three real core replicas with their API servers, in this JVM, on 127.0.0.1. */
final class ApiCluster implements AutoCloseable {
  static final String ADMIN_TOKEN = "admin.test-token";

  final List<CoreNode> nodes = new ArrayList<>();
  private final List<FornaxConnection> connections = new ArrayList<>();

  ApiCluster(Path root) throws Exception {
    for (CoreConfig c : LoopbackCluster.configs(root, 3, Tokens.sha256Hex(ADMIN_TOKEN))) {
      c.watch.windowEvents = 50;
      nodes.add(CoreNode.start(c, c.adminTokenHash, Clock.systemUTC()));
    }
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> nodes.stream().anyMatch(n -> n.replica().isLeader()));
  }

  CoreNode leader() {
    return nodes.stream().filter(n -> n.replica().isLeader()).findFirst().orElseThrow();
  }

  CoreNode follower(int i) {
    return nodes.stream().filter(n -> !n.replica().isLeader()).toList().get(i);
  }

  FornaxConnection connect(CoreNode node, String token) {
    FornaxConnection c = FornaxConnection.connect("127.0.0.1", node.apiPort(), token,
        Duration.ofSeconds(5));
    connections.add(c);
    return c;
  }

  static Response call(FornaxConnection c, Request.Builder r) {
    return c.callSync(r.build(), Duration.ofSeconds(20));
  }

  @Override
  public void close() throws Exception {
    connections.forEach(FornaxConnection::close);
    for (CoreNode n : nodes) {
      n.close();
    }
  }
}
