package io.fornax.api;

import java.util.concurrent.CompletableFuture;

/**
 * Started in a child JVM by {@link ThreadsTest}: prints the name of the thread that runs an
 * async stage given no executor, after {@link Threads#commonPoolOfAtLeastTwo} when asked to.
 */
public final class CommonPoolProbe {
  private CommonPoolProbe() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("size")) {
      Threads.commonPoolOfAtLeastTwo();
    }
    System.out.println(CompletableFuture.supplyAsync(() -> Thread.currentThread().getName()).join());
  }
}
