package io.fornax.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limits are part of the API (README, client checks); changing one must be deliberate. */
class LimitsTest {
  @Test
  void theLimitsAreTheDocumentedValues() {
    assertEquals(4 * 1024 * 1024, Limits.MAX_FRAME_BYTES);
    assertEquals(63, Limits.MAX_NAME_LENGTH);
    assertEquals(64, Limits.MAX_LABELS);
    assertEquals(32 * 1024, Limits.MAX_ENV_VALUE_BYTES);
    assertEquals(4 * 1024, Limits.MAX_COMMAND_BYTES);
    assertEquals(16, Limits.MAX_PORTS);
    assertEquals(1_000_000, Limits.MAX_CPU_MILLIS);
    assertEquals(1024L * 1024 * 1024 * 1024, Limits.MAX_MEMORY_BYTES);
    assertEquals(100_000, Limits.MAX_INSTANCES);
    assertEquals(64 * 1024, Limits.MAX_SESSION_DATA_BYTES);
    assertEquals(128, Limits.MAX_IDEMPOTENCY_KEY_LENGTH);
    assertEquals(Duration.ofHours(1), Limits.MAX_OPEN_TIMEOUT);
    assertEquals(Duration.ofMinutes(10), Limits.MAX_CLOSE_GRACE_PERIOD);
    assertEquals(Duration.ofDays(7), Limits.MAX_IDLE_TIMEOUT);
  }
}
