package io.fornax.api;

import java.util.concurrent.ThreadFactory;

/** Thread factories for background work that must never keep a process alive. */
public final class Threads {
  /** The system property that sizes the JDK's common fork-join pool. */
  public static final String COMMON_POOL_PARALLELISM =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  private Threads() {}

  public static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Gives the common fork-join pool at least two threads, unless the command line sized it.
   * With one (the JDK's default on a 2-core machine), {@code CompletableFuture} runs every async
   * stage that names no executor on a new thread made for it alone; Ratis chains such a stage
   * to each log append on a follower, and a thread per append nearly doubled the commit latency
   * on 2 cores (BENCHMARKS.md). The pool is sized once, when first used: every Fornax
   * {@code main} calls this first.
   */
  public static void commonPoolOfAtLeastTwo() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null
        && Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(COMMON_POOL_PARALLELISM, "2");
    }
  }
}
