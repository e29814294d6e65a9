package io.fornax.core.server;

import io.fornax.api.validation.Limits;
import java.time.Duration;

/**
 * Settings of one API server.
 *
 * @param frameTimeout a connection that began a frame must finish it within this time
 *     (slow-loris defence)
 * @param idleTimeout a connection with no traffic and no watch is closed after this time
 */
public record ApiServerConfig(
    String host,
    int port,
    String adminTokenHash,
    int maxFrameBytes,
    int maxInFlightPerConnection,
    int maxWatchesPerConnection,
    Duration frameTimeout,
    Duration idleTimeout) {

  public static ApiServerConfig of(String host, int port, String adminTokenHash, int maxFrameBytes) {
    return new ApiServerConfig(host, port, adminTokenHash, maxFrameBytes, 1024, 64,
        Duration.ofSeconds(30), Duration.ofMinutes(5));
  }

  public static ApiServerConfig loopback(String adminTokenHash) {
    return of("127.0.0.1", 0, adminTokenHash, Limits.MAX_FRAME_BYTES);
  }

  public ApiServerConfig withTimeouts(Duration frame, Duration idle) {
    return new ApiServerConfig(host, port, adminTokenHash, maxFrameBytes, maxInFlightPerConnection,
        maxWatchesPerConnection, frame, idle);
  }
}
