package io.fornax.core.server;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.core.state.EventLog;
import io.fornax.core.state.ResourceState;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/** What the API server needs from its replica. The Ratis replica is the real implementation. */
public interface CoreBackend {
  /**
   * Proposes a command through the Raft group (group-committed with concurrent ones). Completes
   * with the command's own result once committed and applied, or exceptionally with a
   * {@link io.fornax.api.FornaxException} (UNAVAILABLE, TIMEOUT, ...) if it could not be.
   */
  CompletableFuture<CommandResult> submit(Command command);

  /** Completes once the local state reflects every write committed before the call (ReadIndex). */
  CompletableFuture<Void> readBarrier();

  /** The local applied state. */
  ResourceState state();

  /** Recent changes for watches. */
  EventLog events();

  ClusterStatus clusterStatus();

  /** Stamps commands; tests inject a fixed clock. */
  Clock clock();

  /** The leader's API address if another replica leads; empty if this one does or none is known. */
  default String leaderApiElsewhere() {
    return "";
  }
}
