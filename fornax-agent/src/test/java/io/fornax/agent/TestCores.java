package io.fornax.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.CoreNode;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.LoopbackCluster;
import io.fornax.core.server.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Three real core replicas for agent tests, with the admin token in a file as agents expect. */
final class TestCores implements AutoCloseable {
  static final String ADMIN = "admin.agent-tests";
  final List<CoreNode> nodes = new ArrayList<>();
  final List<String> apis = new ArrayList<>();
  final Path tokenFile;
  private final List<FornaxConnection> conns = new ArrayList<>();

  TestCores(Path root) throws Exception {
    for (CoreConfig c : LoopbackCluster.configs(root.resolve("core"), 3, Tokens.sha256Hex(ADMIN))) {
      c.scheduler.tick = Duration.ofMillis(100);
      nodes.add(CoreNode.start(c, c.adminTokenHash, Clock.systemUTC()));
      apis.add(c.self().api);
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> nodes.stream().anyMatch(n -> n.replica().isLeader()));
    tokenFile = root.resolve("admin.token");
    Files.writeString(tokenFile, ADMIN);
  }

  FornaxConnection connect(String token) {
    String api = apis.get(0);
    FornaxConnection c = FornaxConnection.connect("127.0.0.1",
        Integer.parseInt(api.substring(api.lastIndexOf(':') + 1)), token, Duration.ofSeconds(5));
    conns.add(c);
    return c;
  }

  /**
   * A real agent (process runtime) for node {@code node} on these replicas, started, with its
   * data in {@code dataDir} and {@code ingressPorts} free host ports for session endpoints.
   */
  FornaxAgent startAgent(Path dataDir, String node, int ingressPorts) throws Exception {
    AgentConfig cfg = new AgentConfig();
    cfg.node = node;
    cfg.cores = apis;
    cfg.tokenFile = tokenFile.toString();
    cfg.dataDir = dataDir.toString();
    int base = io.fornax.core.config.FreePorts.range(ingressPorts);
    cfg.ingressPorts.from = base;
    cfg.ingressPorts.to = base + ingressPorts - 1;
    return new FornaxAgent(cfg, new io.fornax.agent.runtime.ProcessRuntime(1 << 20, null)).start();
  }

  /** A connection to the replica leading now. */
  FornaxConnection connectLeader(String token) {
    CoreNode leader = nodes.stream().filter(n -> n.replica().isLeader()).findFirst().orElseThrow();
    FornaxConnection c = FornaxConnection.connect("127.0.0.1", leader.apiPort(), token,
        Duration.ofSeconds(5));
    conns.add(c);
    return c;
  }

  /** The echo example run by this JVM's java with this JVM's class path. */
  static io.fornax.api.proto.RuntimeSpec echoRuntime() {
    return io.fornax.api.proto.RuntimeSpec.newBuilder()
        .setCommand(Path.of(System.getProperty("java.home"), "bin", "java").toString())
        .addArgs("-cp").addArgs(System.getProperty("java.class.path"))
        .addArgs("io.fornax.examples.EchoApp").build();
  }

  static Response ok(FornaxConnection c, Request.Builder r) {
    Response resp = c.callSync(r.build(), Duration.ofSeconds(20));
    assertEquals(ErrorCode.OK, resp.getError().getCode(), resp.getError().getMessage());
    return resp;
  }

  @Override
  public void close() throws Exception {
    conns.forEach(FornaxConnection::close);
    for (CoreNode n : nodes) {
      n.close();
    }
  }
}
