package io.fornax.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds; percentiles in milliseconds. */
final class Stats {
  private long[] samples = new long[1024];
  private int n;

  synchronized void add(long nanos) {
    if (n == samples.length) {
      samples = Arrays.copyOf(samples, n * 2);
    }
    samples[n++] = nanos;
  }

  synchronized int count() {
    return n;
  }

  synchronized double percentileMs(double p) {
    if (n == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    int i = (int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100.0 * n) - 1));
    return sorted[i] / 1e6;
  }
}
