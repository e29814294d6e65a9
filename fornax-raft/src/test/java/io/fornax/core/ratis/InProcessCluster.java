package io.fornax.core.ratis;

import static org.awaitility.Awaitility.await;

import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.LoopbackCluster;
import java.io.IOException;
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
  private final Map<String, RecordingLeaderListener> listeners = new LinkedHashMap<>();

  public InProcessCluster(Path root, int size, long snapshotThreshold) {
    for (CoreConfig c : LoopbackCluster.configs(root, size, "0".repeat(64))) {
      c.raft.snapshotThreshold = snapshotThreshold;
      c.raft.segmentBytes = 8 << 10;
      c.api.requestTimeout = Duration.ofSeconds(15);
      c.validate("test");
      configs.put(c.id, c);
    }
  }

  public CoreConfig config(String id) {
    return configs.get(id);
  }

  public InProcessCluster startAll() throws IOException {
    for (String id : configs.keySet()) {
      start(id);
    }
    return this;
  }

  public RaftReplica start(String id) throws IOException {
    RecordingLeaderListener listener = new RecordingLeaderListener();
    listeners.put(id, listener);
    RaftReplica r = RaftReplica.start(configs.get(id), listener, Clock.systemUTC());
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

  /** The leader hook calls seen by replica {@code id} since it last started. */
  public RecordingLeaderListener listener(String id) {
    return listeners.get(id);
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
