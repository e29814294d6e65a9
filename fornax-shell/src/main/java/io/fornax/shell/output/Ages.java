package io.fornax.shell.output;

import java.time.Clock;
import java.time.Duration;

/** How long ago, the short way: {@code 12s}, {@code 3m}, {@code 2h}, {@code 4d}. */
public final class Ages {
  private Ages() {}

  /** The age of something that happened at {@code epochMs}; "-" when it is unset (0). */
  public static String since(long epochMs, Clock clock) {
    if (epochMs <= 0) {
      return "-";
    }
    return format(Duration.ofMillis(Math.max(0, clock.millis() - epochMs)));
  }

  /** The largest whole unit: under a minute in seconds, under an hour in minutes, and so on. */
  public static String format(Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m";
    }
    if (s < 86_400) {
      return s / 3600 + "h";
    }
    return s / 86_400 + "d";
  }

  /** A duration in ms the way a manifest writes it: {@code 300ms}, {@code 30s}, {@code 5m}. */
  public static String duration(long ms) {
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
