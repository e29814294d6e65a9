package io.fornax.core.ratis;

import static org.awaitility.Awaitility.await;

import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.core.config.CoreConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** N real Ratis replicas in this JVM on 127.0.0.1, each with its own data dir. */
public final class InProcessCluster implements AutoCloseable {
  private final Map<String, CoreConfig> configs = new LinkedHashMap<>();
  private final Map<String, RaftReplica> running = new LinkedHashMap<>();

  public InProcessCluster(Path root, int size, long snapshotThreshold) throws IOException {
    List<CoreConfig.Peer> peers = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      peers.add(new CoreConfig.Peer("core-" + i, "127.0.0.1:" + freePort(), "127.0.0.1:" + freePort()));
    }
    for (CoreConfig.Peer p : peers) {
      CoreConfig c = new CoreConfig();
      c.id = p.id;
      c.dataDir = root.resolve(p.id).toString();
      c.adminTokenHash = "0".repeat(64);
      c.peers = peers;
      c.raft.snapshotThreshold = snapshotThreshold;
      c.raft.segmentBytes = 8 << 10;
      c.api.requestTimeout = Duration.ofSeconds(15);
      c.validate("test");
      configs.put(p.id, c);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public InProcessCluster startAll() throws IOException {
    for (String id : configs.keySet()) {
      start(id);
    }
    return this;
  }

  public RaftReplica start(String id) throws IOException {
    RaftReplica r = RaftReplica.start(configs.get(id), LeaderListener.NONE, Clock.systemUTC());
    running.put(id, r);
    return r;
  }

  public void stop(String id) throws IOException {
    RaftReplica r = running.remove(id);
    if (r != null) {
      r.close();
    }
  }

  public void stopAll() throws IOException {
    for (String id : new ArrayList<>(running.keySet())) {
      stop(id);
    }
  }

  public RaftReplica get(String id) {
    return running.get(id);
  }

  public List<RaftReplica> replicas() {
    return new ArrayList<>(running.values());
  }

  public RaftReplica awaitLeader() {
    return await().atMost(Duration.ofSeconds(30)).until(this::leader, Optional::isPresent).get();
  }

  public Optional<RaftReplica> leader() {
    return running.values().stream().filter(RaftReplica::isLeader).findFirst();
  }

  public RaftReplica aFollower() {
    RaftReplica leader = awaitLeader();
    return running.values().stream().filter(r -> r != leader).findFirst().orElseThrow();
  }

  /** Submits through {@code via} and waits for the result. */
  public static CommandResult write(RaftReplica via, Command c) {
    return via.submit(c).join();
  }

  @Override
  public void close() throws IOException {
    stopAll();
  }
}
