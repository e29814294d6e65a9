package io.fornax.it;

import static org.awaitility.Awaitility.await;

import io.fornax.agent.simulate.Simulation;
import io.fornax.client.FornaxClient;
import io.fornax.core.CoreNode;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.LoopbackCluster;
import io.fornax.core.server.Tokens;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Three real core replicas in this JVM (Ratis, RocksDB, API servers on loopback) and simulated
 * nodes speaking the real agent protocol: fast enough for client tests that kill replicas.
 */
final class InJvmCluster implements AutoCloseable {
  static final String ADMIN = "admin.client-tests";

  private final List<CoreConfig> configs;
  private final List<CoreNode> nodes = new ArrayList<>();
  private final List<FornaxClient> clients = new ArrayList<>();
  private Simulation simulation;

  InJvmCluster(Path root) throws Exception {
    this(root, c -> { });
  }

  InJvmCluster(Path root, java.util.function.Consumer<CoreConfig> tweak) throws Exception {
    configs = LoopbackCluster.configs(root, 3, Tokens.sha256Hex(ADMIN));
    for (CoreConfig c : configs) {
      c.scheduler.tick = Duration.ofMillis(50);
      tweak.accept(c);
      nodes.add(CoreNode.start(c, c.adminTokenHash, Clock.systemUTC()));
    }
    awaitLeader();
  }

  List<String> endpoints() {
    return configs.stream().map(c -> c.self().api).toList();
  }

  /** Simulated nodes that make sessions AVAILABLE after the given delays. */
  InJvmCluster withSimulatedNodes(int count, Duration createDelay, Duration openDelay) {
    simulation = new Simulation(endpoints(), ADMIN, createDelay, openDelay).start("sim", count);
    await().atMost(Duration.ofSeconds(30)).until(() -> simulation.connected() == count);
    return this;
  }

  FornaxClient client(String token) {
    return client(token, endpoints());
  }

  FornaxClient client(String token, List<String> endpoints) {
    FornaxClient c = FornaxClient.builder().endpoints(endpoints).token(token)
        .attemptTimeout(Duration.ofSeconds(3)).requestTimeout(Duration.ofSeconds(30)).build();
    clients.add(c);
    return c;
  }

  int awaitLeader() {
    await().atMost(Duration.ofSeconds(30)).until(() -> leaderIndex().isPresent());
    return leaderIndex().orElseThrow();
  }

  private Optional<Integer> leaderIndex() {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i) != null && nodes.get(i).replica().isLeader()) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** Stops replica {@code i} (its API and Raft server go away; data stays). */
  void stop(int i) throws Exception {
    CoreNode n = nodes.get(i);
    if (n != null) {
      nodes.set(i, null);
      n.close();
    }
  }

  void restart(int i) throws Exception {
    stop(i);
    CoreConfig c = configs.get(i);
    nodes.set(i, CoreNode.start(c, c.adminTokenHash, Clock.systemUTC()));
  }

  @Override
  public void close() throws Exception {
    clients.forEach(FornaxClient::close);
    if (simulation != null) {
      simulation.close();
    }
    for (int i = 0; i < nodes.size(); i++) {
      stop(i);
    }
  }
}
