package io.fornax.api.validation;

import io.fornax.api.FornaxException;
import java.time.Duration;

/**
 * The one way validators fail, and the helpers that keep their messages honest: protobuf unsigned
 * fields are shown unsigned, and user input is quoted, escaped and shortened before it is echoed.
 */
final class Require {
  /** Longest piece of user input echoed in a message. */
  private static final int ECHO_MAX = 80;

  private Require() {}

  /** Throws INVALID_ARGUMENT with {@code String.format(format, args)} unless {@code ok}. */
  static void require(boolean ok, String format, Object... args) {
    if (!ok) {
      throw FornaxException.invalid(format, args);
    }
  }

  /** A protobuf {@code uint32} as the number the user wrote. */
  static long u32(int value) {
    return Integer.toUnsignedLong(value);
  }

  /** A protobuf {@code uint64} as the number the user wrote. */
  static String u64(long value) {
    return Long.toUnsignedString(value);
  }

  /** Whether the protobuf {@code uint64} {@code value} is at most {@code max}. */
  static boolean atMost(long value, long max) {
    return Long.compareUnsigned(value, max) <= 0;
  }

  /** {@code ms} (a {@code uint64} field) is at most {@code max}; the message shows both. */
  static void requireAtMost(String field, long ms, Duration max) {
    require(atMost(ms, max.toMillis()), "%s must be <= %s (got %s ms)", field, human(max), u64(ms));
  }

  /** {@code value} in UTF-8 is at most {@code max} bytes. */
  static void requireBytes(String field, String value, int max) {
    int bytes = utf8Length(value);
    require(bytes <= max, "%s is %d bytes; at most %d are allowed", field, bytes, max);
  }

  /** User input in double quotes, non-printable characters escaped, cut to a readable length. */
  static String quoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    int end = Math.min(s.length(), ECHO_MAX);
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append(s.length() > end ? "...\"" : "\"").toString();
  }

  /** "10s", "10m", "1h", "7d": how the manifest writes durations. */
  static String human(Duration d) {
    long ms = d.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms >= units[i] && ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }

  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      // A surrogate pair is 4 bytes: 2 for each half.
      bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }
}
