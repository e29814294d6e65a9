package io.fornax.core.server;

import io.fornax.api.validation.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one API server. {@link #of} and {@link #loopback} fill the defaults; the
 * {@code with*} methods change one setting.
 *
 * @param host the address to bind (tests bind 127.0.0.1 only)
 * @param port the port to bind; 0 picks a free one (see {@link ApiServer#port()})
 * @param adminTokenHash hex SHA-256 of the admin token (see {@link Tokens#sha256Hex})
 * @param maxFrameBytes largest request frame accepted, length prefix included; also the
 *     largest response sent (a bigger one is answered with RESOURCE_EXHAUSTED)
 * @param maxInFlightPerConnection requests of one connection being handled at once
 * @param maxWatchesPerConnection watches open at once on one connection
 * @param frameTimeout a connection must complete its first frame, and any frame it began,
 *     within this time (slow-loris defence)
 * @param idleTimeout a connection with no traffic, no request in flight and no watch is closed
 *     after this time
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

  public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
  public static final int DEFAULT_MAX_WATCHES = 64;
  public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

  public ApiServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(adminTokenHash, "adminTokenHash");
    Objects.requireNonNull(frameTimeout, "frameTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535 (got " + port + ")");
    }
    if (!adminTokenHash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("adminTokenHash must be a hex SHA-256 (64 lowercase hex)");
    }
    // Below 64 bytes not even a small request fits; a frame length is a signed 32-bit int.
    if (maxFrameBytes < 64) {
      throw new IllegalArgumentException("maxFrameBytes must be >= 64 (got " + maxFrameBytes + ")");
    }
    if (maxInFlightPerConnection < 1 || maxWatchesPerConnection < 0) {
      throw new IllegalArgumentException("maxInFlightPerConnection must be >= 1 and "
          + "maxWatchesPerConnection >= 0");
    }
    if (frameTimeout.isNegative() || frameTimeout.isZero()
        || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("frameTimeout and idleTimeout must be positive");
    }
  }

  /** The defaults: 1024 requests in flight, 64 watches, 30 s frame and 5 min idle timeouts. */
  public static ApiServerConfig of(String host, int port, String adminTokenHash, int maxFrameBytes) {
    return new ApiServerConfig(host, port, adminTokenHash, maxFrameBytes, DEFAULT_MAX_IN_FLIGHT,
        DEFAULT_MAX_WATCHES, DEFAULT_FRAME_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
  }

  /** 127.0.0.1, a free port, {@link Limits#MAX_FRAME_BYTES} and the other defaults. */
  public static ApiServerConfig loopback(String adminTokenHash) {
    return of("127.0.0.1", 0, adminTokenHash, Limits.MAX_FRAME_BYTES);
  }

  public ApiServerConfig withTimeouts(Duration frame, Duration idle) {
    return new ApiServerConfig(host, port, adminTokenHash, maxFrameBytes, maxInFlightPerConnection,
        maxWatchesPerConnection, frame, idle);
  }

  public ApiServerConfig withMaxFrameBytes(int bytes) {
    return new ApiServerConfig(host, port, adminTokenHash, bytes, maxInFlightPerConnection,
        maxWatchesPerConnection, frameTimeout, idleTimeout);
  }

  public ApiServerConfig withConnectionLimits(int maxInFlight, int maxWatches) {
    return new ApiServerConfig(host, port, adminTokenHash, maxFrameBytes, maxInFlight, maxWatches,
        frameTimeout, idleTimeout);
  }
}
