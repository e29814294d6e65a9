package io.fornax.client;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * How to open a session: data handed to the instance, timeouts, labels, and the idempotency key
 * that makes a retried open harmless (a random one unless given). Immutable; build with {@link
 * #builder()}.
 */
public final class OpenOptions {
  private static final OpenOptions DEFAULTS = builder().build();

  final ByteString data;
  final Duration openTimeout;
  final Duration closeGracePeriod;
  final Map<String, String> labels;
  final String idempotencyKey;
  final boolean waitAvailable;

  private OpenOptions(Builder b) {
    this.data = b.data;
    this.openTimeout = b.openTimeout;
    this.closeGracePeriod = b.closeGracePeriod;
    this.labels = Map.copyOf(b.labels);
    this.idempotencyKey = b.idempotencyKey;
    this.waitAvailable = b.waitAvailable;
  }

  /** No data, the application's timeouts, a fresh idempotency key, wait for AVAILABLE. */
  public static OpenOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The key this open sends: given, or drawn fresh for each {@code open} call. */
  String keyOrFresh() {
    return idempotencyKey.isEmpty() ? UUID.randomUUID().toString() : idempotencyKey;
  }

  public static final class Builder {
    private ByteString data = ByteString.EMPTY;
    private Duration openTimeout = Duration.ZERO;
    private Duration closeGracePeriod = Duration.ZERO;
    private final Map<String, String> labels = new TreeMap<>();
    private String idempotencyKey = "";
    private boolean waitAvailable = true;

    /** Handed to the instance with the session's open (at most 64 KiB). */
    public Builder data(byte[] data) {
      this.data = ByteString.copyFrom(data);
      return this;
    }

    public Builder data(String utf8) {
      this.data = ByteString.copyFrom(utf8, StandardCharsets.UTF_8);
      return this;
    }

    /** How long the session may take to become AVAILABLE (zero: the application's setting). */
    public Builder openTimeout(Duration timeout) {
      this.openTimeout = requireNonNegative(timeout, "openTimeout");
      return this;
    }

    /** How long the instance gets to finish the session on close (zero: the application's). */
    public Builder closeGracePeriod(Duration grace) {
      this.closeGracePeriod = requireNonNegative(grace, "closeGracePeriod");
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    /**
     * Opens with this key: a second open with the same key (by anyone in the tenant) returns the
     * first session. Give one to make retries across restarts of your own program safe.
     */
    public Builder idempotencyKey(String key) {
      this.idempotencyKey = Objects.requireNonNull(key);
      return this;
    }

    /** false: return as soon as the session is recorded (PENDING), without waiting. */
    public Builder waitAvailable(boolean wait) {
      this.waitAvailable = wait;
      return this;
    }

    public OpenOptions build() {
      return new OpenOptions(this);
    }

    private static Duration requireNonNegative(Duration d, String name) {
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative (got " + d + ")");
      }
      return d;
    }
  }
}
