package io.fornax.it;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.client.FornaxClient;
import java.util.List;

/**
 * A Fornax cluster under test: core replicas {@code core-1..n} and node agents, each of which a
 * test can stop, kill, pause and restart. Every method waits (bounded) for what it did to take
 * effect as far as the OS is concerned; what the cluster makes of it, tests await themselves.
 */
public interface FornaxCluster extends AutoCloseable {
  /** Starts every replica and every agent; returns once a leader is elected. */
  FornaxCluster start();

  /** Replica ids, {@code core-1..core-n}. */
  List<String> replicas();

  /** Starts one replica that is not running (its data dir is kept). */
  void start(String id);

  /** SIGTERM: a clean shutdown; waits for the process to exit. */
  void stop(String id);

  /** SIGKILL: a crash; waits for the process to be gone. */
  void kill(String id);

  /** SIGSTOP: the replica freezes (a GC pause, a hung VM) while its sockets stay open. */
  void pause(String id);

  /** SIGCONT after {@link #pause}. */
  void resume(String id);

  /** Stops (SIGTERM) if running, then starts again with the same data. */
  void restart(String id);

  /** Waits (bounded) for a leader among the running, unpaused replicas; returns its id. */
  String leader();

  /** A running, unpaused replica that is not the leader. */
  String follower();

  /** Where a replica keeps its Raft log, snapshots and state. */
  java.nio.file.Path dataDir(String id);

  /** This replica's own view of the group, asked directly (no failover). */
  ClusterStatus status(String id);

  /** An admin client over every endpoint; owned by the cluster (do not close it). */
  FornaxClient client();

  /** A new admin client over these replicas only, in this order; the caller closes it. */
  FornaxClient clientOf(String... ids);

  /** API addresses {@code 127.0.0.1:port}, in replica order. */
  List<String> endpoints();

  String endpoint(String id);

  String adminToken();

  /** The OS pid of a replica or agent process. */
  long pid(String id);

  /** Whether a replica or agent process is alive (a paused one is). */
  boolean isRunning(String id);

  /** Bytes of a replica's or agent's log so far: search {@link #logSince} from there. */
  long logMark(String id);

  String logSince(String id, long mark);

  void startAgent(String name);

  /** SIGKILL an agent; its instances keep running, orphaned, as after a real crash. */
  void killAgent(String name);

  /** SIGTERM (if running) and start again. */
  void restartAgent(String name);

  /** Kills every process of the cluster (the instances its agents started included). */
  @Override
  void close();
}
