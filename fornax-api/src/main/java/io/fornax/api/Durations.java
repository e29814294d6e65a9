package io.fornax.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in configs: {@code 300ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}. */
public final class Durations {
  private static final Pattern HUMAN = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /** Parses a human duration or an ISO-8601 one ({@code PT10S}); INVALID_ARGUMENT otherwise. */
  public static Duration parse(String text) {
    String s = text == null ? "" : text.trim();
    Matcher m = HUMAN.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(s);
    } catch (RuntimeException e) {
      throw FornaxException.invalid(
          "\"%s\" is not a duration: write e.g. 300ms, 10s, 5m, 1h or 2d", text);
    }
  }
}
