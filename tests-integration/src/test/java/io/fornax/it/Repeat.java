package io.fornax.it;

import java.util.stream.IntStream;

/**
 * How often each scenario runs: {@code -Dit.repeat=N} (default 1; the soak profile sets more).
 * Use as {@code @ParameterizedTest(name = "run {0}") @MethodSource("io.fornax.it.Repeat#runs")}.
 */
public final class Repeat {
  private Repeat() {}

  public static IntStream runs() {
    return IntStream.rangeClosed(1, Math.max(1, Integer.getInteger("it.repeat", 1)));
  }
}
