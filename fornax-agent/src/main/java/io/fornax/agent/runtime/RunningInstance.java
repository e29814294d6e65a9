package io.fornax.agent.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One started instance. */
public interface RunningInstance {
  String id();

  long pid();

  /** Completes with the exit code when the instance's main process ends, however it ends. */
  CompletableFuture<Integer> exit();

  /** Stops it using any CPU until {@link #resume()} (standby). */
  void freeze();

  void resume();

  boolean frozen();

  /** SIGTERM, then SIGKILL once {@code grace} has passed; completes with the exit code. */
  CompletableFuture<Integer> terminate(Duration grace);
}
