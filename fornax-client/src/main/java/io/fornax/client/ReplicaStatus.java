package io.fornax.client;

import io.fornax.api.Nullable;
import io.fornax.api.proto.ClusterStatus;

/**
 * One replica as seen by asking it directly: its own status, or why it could not answer.
 *
 * @param endpoint the replica's API address
 * @param status what it answered; null if it did not
 * @param error why it did not answer; null if it did
 * @param latencyMs how long the answer took (or how long we waited)
 */
public record ReplicaStatus(String endpoint, @Nullable ClusterStatus status,
    @Nullable String error, long latencyMs) {
  public boolean healthy() {
    return status != null;
  }
}
