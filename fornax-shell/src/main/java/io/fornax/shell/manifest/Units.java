package io.fornax.shell.manifest;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CPU and memory quantities as people write them: {@code 250m}, {@code 0.5}, {@code 128Mi}. */
public final class Units {
  private static final Pattern CPU = Pattern.compile("(\\d+(?:\\.\\d+)?)(m?)");
  private static final Pattern MEMORY = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGT]i?|k)?");

  private Units() {}

  /**
   * Millicores: {@code 250m} is 250, {@code 1} is 1000, {@code 0.5} is 500.
   *
   * @throws IllegalArgumentException with what to write instead
   */
  public static long cpuMillis(String text) {
    Matcher m = CPU.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a CPU quantity: write e.g. 250m,"
          + " 0.5 or 2 (cores)");
    }
    BigDecimal n = new BigDecimal(m.group(1));
    BigDecimal millis = m.group(2).isEmpty() ? n.movePointRight(3) : n;
    if (millis.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("\"" + text + "\" is finer than one millicore");
    }
    return millis.longValueExact();
  }

  /**
   * Bytes: {@code 128Mi}, {@code 1Gi} (powers of 1024), {@code 500M}, {@code 1G}, {@code 10k}
   * (powers of 1000), or a plain number of bytes.
   *
   * @throws IllegalArgumentException with what to write instead
   */
  public static long memoryBytes(String text) {
    Matcher m = MEMORY.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a memory quantity: write e.g."
          + " 128Mi, 1Gi, 500M or a number of bytes");
    }
    BigDecimal n = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    BigDecimal bytes = n.multiply(BigDecimal.valueOf(multiplier(unit)));
    if (bytes.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("\"" + text + "\" is not a whole number of bytes");
    }
    return bytes.longValueExact();
  }

  private static long multiplier(String unit) {
    boolean binary = unit.endsWith("i");
    long base = binary ? 1024 : 1000;
    return switch (unit.isEmpty() ? "" : unit.substring(0, 1).toUpperCase(Locale.ROOT)) {
      case "K" -> base;
      case "M" -> base * base;
      case "G" -> base * base * base;
      case "T" -> base * base * base * base;
      default -> 1;
    };
  }

  /**
   * Bytes the short way, in the largest unit they reach: exact where it divides them ({@code
   * 128Mi}, {@code 1Gi}), else with one decimal ({@code 23.5Gi}); below 1 KiB the plain number.
   */
  public static String formatBytes(long bytes) {
    String[] units = {"Ti", "Gi", "Mi", "Ki"};
    for (int i = 0; i < units.length; i++) {
      long size = 1L << (10 * (units.length - i));
      if (bytes >= size) {
        return bytes % size == 0 ? bytes / size + units[i]
            : String.format(Locale.ROOT, "%.1f%s", (double) bytes / size, units[i]);
      }
    }
    return Long.toString(bytes);
  }

  /** Millicores the short way: {@code 250m}, {@code 2}. */
  public static String formatCpu(long millis) {
    return millis % 1000 == 0 && millis > 0 ? Long.toString(millis / 1000) : millis + "m";
  }
}
