package io.fornax.core.server;

/** Receives node heartbeats; only the leader keeps them (liveness is leader-local soft state). */
public interface NodeHeartbeats {
  /** Records a heartbeat; false if this replica is not the leader. */
  boolean beat(String node);

  NodeHeartbeats NOT_LEADER = node -> false;
}
