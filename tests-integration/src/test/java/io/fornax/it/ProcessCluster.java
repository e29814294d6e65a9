package io.fornax.it;

import static org.awaitility.Awaitility.await;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.api.proto.ClusterStatusRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.client.FornaxClient;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.config.FreePorts;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link FornaxCluster} of real OS processes: each replica is {@code java io.fornax.core.CoreMain
 * --config core-i.yaml} from the reactor's built jars, each agent {@code io.fornax.agent.AgentMain}.
 * Everything lives under one folder: configs, data dirs ({@code core-i/}, {@code agent-x/}),
 * logs ({@code logs/}). All addresses are 127.0.0.1 ports reserved when the cluster is made.
 */
public final class ProcessCluster implements FornaxCluster {
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

  private final Path dir;
  private final ClusterOptions options;
  private final String token = "admin.it-" + UUID.randomUUID();
  private final Map<String, JavaProcess> replicas = new LinkedHashMap<>();
  private final Map<String, String> apis = new LinkedHashMap<>();
  private final Map<String, JavaProcess> agents = new LinkedHashMap<>();
  private final NioEventLoopGroup io = new NioEventLoopGroup(1);
  private final List<FornaxClient> clients = new ArrayList<>();
  private FornaxClient client;

  public ProcessCluster(Path dir, ClusterOptions options) {
    this.dir = dir;
    this.options = options;
    try {
      Files.createDirectories(dir.resolve("logs"));
      Files.writeString(dir.resolve("admin.token"), token + "\n", StandardCharsets.UTF_8);
      writeReplicas();
      for (var a : options.agents.entrySet()) {
        writeAgent(a.getKey(), a.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeReplicas() throws IOException {
    List<String> peers = new ArrayList<>();
    for (int i = 1; i <= options.replicas; i++) {
      String id = "core-" + i;
      String raft = "127.0.0.1:" + FreePorts.one();
      String api = "127.0.0.1:" + FreePorts.one();
      apis.put(id, api);
      peers.add(String.format("  - { id: %s, raft: \"%s\", api: \"%s\" }", id, raft, api));
    }
    String cp = Reactor.classpath("fornax-raft");
    for (String id : apis.keySet()) {
      Path config = dir.resolve(id + ".yaml");
      Files.writeString(config, Configs.core(id, dir, peers, options));
      replicas.put(id, new JavaProcess(id, dir.resolve("logs").resolve(id + ".log"),
          options.replicaJvmFlags, cp,
          "io.fornax.core.CoreMain", List.of("--config", config.toString())));
    }
  }

  private void writeAgent(String name, int simulated) throws IOException {
    Path config = dir.resolve("agent-" + name + ".yaml");
    Files.writeString(config, Configs.agent(name, dir, List.copyOf(apis.values()),
        FreePorts.range(40)));
    List<String> args = new ArrayList<>(List.of("--config", config.toString()));
    if (simulated > 0) {
      args.addAll(List.of("--simulate", Integer.toString(simulated)));
    }
    // Debug for the leader stream: every reconnect and its reason shows in the agent's log.
    agents.put(name, new JavaProcess("agent-" + name, dir.resolve("logs").resolve("agent-" + name + ".log"),
        Stream.concat(Stream.of("-Dorg.slf4j.simpleLogger.log.io.fornax.agent.stream=debug"),
            options.agentJvmFlags.stream()).toList(),
        Reactor.classpath("fornax-agent"), "io.fornax.agent.AgentMain", args));
  }

  @Override
  public FornaxCluster start() {
    replicas.values().forEach(JavaProcess::start);
    leader();
    options.autostart.forEach((name, auto) -> {
      if (auto) {
        startAgent(name);
      }
    });
    return this;
  }

  @Override
  public List<String> replicas() {
    return List.copyOf(replicas.keySet());
  }

  @Override
  public void start(String id) {
    replica(id).start();
  }

  @Override
  public void stop(String id) {
    replica(id).stop(Duration.ofSeconds(30));
  }

  @Override
  public void kill(String id) {
    replica(id).kill();
  }

  @Override
  public void pause(String id) {
    replica(id).pause();
  }

  @Override
  public void resume(String id) {
    replica(id).resume();
  }

  @Override
  public void restart(String id) {
    stop(id);
    start(id);
  }

  @Override
  public String leader() {
    return leader(Duration.ofSeconds(30));
  }

  /** The agreed leader, waiting up to {@code atMost} (benchmarks restart large states). */
  public String leader(Duration atMost) {
    return await("a leader among " + reachable()).atMost(atMost)
        .pollInterval(Duration.ofMillis(100)).until(this::agreedLeader, Optional::isPresent).get();
  }

  /** A leader that a majority of the group (counting replicas that answer) names in one term. */
  private Optional<String> agreedLeader() {
    List<ClusterStatus> seen = new ArrayList<>();
    for (String id : reachable()) {
      try {
        seen.add(status(id));
      } catch (RuntimeException e) {
        // down or slow: it does not vote here
      }
    }
    int majority = replicas.size() / 2 + 1;
    return seen.stream().filter(s -> s.getRole().equals("LEADER"))
        .filter(l -> seen.stream().filter(s -> s.getTerm() == l.getTerm()
            && s.getLeader().equals(l.getServedBy())).count() >= majority)
        .map(ClusterStatus::getServedBy).findFirst();
  }

  private List<String> reachable() {
    return replicas.entrySet().stream().filter(e -> e.getValue().isAlive() && !e.getValue().isPaused())
        .map(Map.Entry::getKey).toList();
  }

  @Override
  public String follower() {
    String leader = leader();
    return reachable().stream().filter(id -> !id.equals(leader)).findFirst()
        .orElseThrow(() -> new AssertionError("no running follower"));
  }

  @Override
  public Path dataDir(String id) {
    replica(id);
    return dir.resolve(id);
  }

  @Override
  public ClusterStatus status(String id) {
    String[] hp = endpoint(id).split(":");
    try (FornaxConnection c = FornaxConnection.connect(hp[0], Integer.parseInt(hp[1]), token,
        STATUS_TIMEOUT, io)) {
      Response r = c.callSync(Request.newBuilder()
          .setClusterStatus(ClusterStatusRequest.getDefaultInstance()).build(), STATUS_TIMEOUT);
      if (!r.hasClusterStatus()) {
        throw new IllegalStateException(id + " answered " + r.getError());
      }
      return r.getClusterStatus();
    }
  }

  @Override
  public synchronized FornaxClient client() {
    if (client == null) {
      client = clientOf(replicas.keySet().toArray(String[]::new));
    }
    return client;
  }

  @Override
  public synchronized FornaxClient clientOf(String... ids) {
    List<String> eps = new ArrayList<>();
    for (String id : ids) {
      eps.add(endpoint(id));
    }
    FornaxClient c = FornaxClient.builder().endpoints(eps).token(token)
        .connectTimeout(Duration.ofSeconds(1)).attemptTimeout(Duration.ofSeconds(3))
        .requestTimeout(Duration.ofSeconds(30)).sessionWaitTimeout(Duration.ofSeconds(60)).build();
    clients.add(c);
    return c;
  }

  @Override
  public List<String> endpoints() {
    return List.copyOf(apis.values());
  }

  @Override
  public String endpoint(String id) {
    String api = apis.get(id);
    if (api == null) {
      throw new IllegalArgumentException("no replica " + id + " (have " + apis.keySet() + ")");
    }
    return api;
  }

  @Override
  public String adminToken() {
    return token;
  }

  @Override
  public long pid(String id) {
    return process(id).pid();
  }

  @Override
  public boolean isRunning(String id) {
    return process(id).isAlive();
  }

  @Override
  public long logMark(String id) {
    return process(id).logSize();
  }

  @Override
  public String logSince(String id, long mark) {
    return process(id).logSince(mark);
  }

  @Override
  public void startAgent(String name) {
    agent(name).start();
  }

  @Override
  public void killAgent(String name) {
    agent(name).kill();
  }

  @Override
  public void restartAgent(String name) {
    agent(name).stop(Duration.ofSeconds(30));
    agent(name).start();
  }

  /** Every process's log, for a failure report: the last {@code lines} lines of each. */
  String tails(int lines) {
    StringBuilder b = new StringBuilder();
    List<JavaProcess> all = new ArrayList<>(replicas.values());
    all.addAll(agents.values());
    for (JavaProcess p : all) {
      b.append("\n======== ").append(p.name).append(" (").append(p.log).append("), last ")
          .append(lines).append(" lines\n").append(p.tail(lines)).append('\n');
    }
    return b.toString();
  }

  /** Thread dumps of every live process into the logs folder. */
  void dumpThreads() {
    agents.values().forEach(JavaProcess::dumpThreads);
    replicas.values().forEach(JavaProcess::dumpThreads);
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    synchronized (this) {
      clients.forEach(FornaxClient::close);
      clients.clear();
    }
    // Agents with SIGTERM, so they stop their instances (the teardown check then proves they
    // did: an instance left running fails the test); replicas with SIGKILL, which is fast.
    for (JavaProcess agent : agents.values()) {
      try {
        agent.stop(Duration.ofSeconds(15));
      } catch (AssertionError slow) {
        agent.kill();
      }
    }
    replicas.values().forEach(JavaProcess::kill);
    io.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  private JavaProcess replica(String id) {
    JavaProcess p = replicas.get(id);
    if (p == null) {
      throw new IllegalArgumentException("no replica " + id + " (have " + replicas.keySet() + ")");
    }
    return p;
  }

  private JavaProcess agent(String name) {
    JavaProcess p = agents.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no agent " + name + " (have " + agents.keySet() + ")");
    }
    return p;
  }

  private JavaProcess process(String id) {
    return replicas.containsKey(id) ? replicas.get(id) : agent(id);
  }
}
