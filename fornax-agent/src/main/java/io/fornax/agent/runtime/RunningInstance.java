package io.fornax.agent.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One started instance. */
public interface RunningInstance {
  /** Exit code of an instance whose exit was seen but whose code is not known (adopted). */
  int UNKNOWN_EXIT = -1;

  String id();

  long pid();

  /** When {@link #pid()} started (ticks since boot): tells it from a later owner of the pid. */
  long startTime();

  /** Completes with the exit code when the instance's main process ends, however it ends. */
  CompletableFuture<Integer> exit();

  /** Stops it using any CPU until {@link #resume()} (standby). */
  void freeze();

  void resume();

  boolean frozen();

  /** SIGTERM, then SIGKILL once {@code grace} has passed; completes with the exit code. */
  CompletableFuture<Integer> terminate(Duration grace);
}
