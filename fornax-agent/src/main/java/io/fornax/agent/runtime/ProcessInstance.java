package io.fornax.agent.runtime;

import io.fornax.api.Nullable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running process instance; signals go to its whole process group. Either started by this
 * agent (its child: the exit code is known) or re-adopted after an agent restart (any process:
 * its exit is seen, its code is not, and is reported as {@link #UNKNOWN_EXIT}).
 */
public final class ProcessInstance implements RunningInstance {
  private static final long LOG_CHECK_MS = 1000;

  private final String id;
  private final ProcessHandle process;
  private final long startTime;
  private final @Nullable Cgroups.Group group;
  private final ScheduledExecutorService timers;
  private final CompletableFuture<Integer> exit;
  private final ScheduledFuture<?> logCheck;
  private volatile boolean frozen;

  /**
   * @param mainExit completes with the main process's exit code
   * @param logs the instance's stdout/stderr files, capped at {@code maxLogBytes}
   */
  ProcessInstance(String id, ProcessHandle process, long startTime, CompletableFuture<Integer> mainExit,
      @Nullable Cgroups.Group group, ScheduledExecutorService timers, boolean frozen,
      java.util.List<Path> logs, long maxLogBytes) {
    this.id = id;
    this.process = process;
    this.startTime = startTime;
    this.group = group;
    this.timers = timers;
    this.frozen = frozen;
    Runnable capLogs = () -> logs.forEach(f -> LogRotation.check(f, maxLogBytes));
    this.logCheck = timers.scheduleWithFixedDelay(capLogs, LOG_CHECK_MS, LOG_CHECK_MS,
        TimeUnit.MILLISECONDS);
    this.exit = mainExit.thenApply(code -> {
      // Whatever the instance left behind in its group goes with it: no orphans. The group id
      // cannot have been reused while any of its members still lives.
      Signals.toGroup(process.pid(), "KILL");
      if (group != null) {
        group.freeze(false);
        group.delete();
      }
      logCheck.cancel(false);
      capLogs.run();
      return code;
    });
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public long startTime() {
    return startTime;
  }

  @Override
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  @Override
  public synchronized void freeze() {
    if (!frozen && (group != null ? group.freeze(true) : Signals.toGroup(pid(), "STOP"))) {
      frozen = true;
    }
  }

  @Override
  public synchronized void resume() {
    if (frozen && (group != null ? group.freeze(false) : Signals.toGroup(pid(), "CONT"))) {
      frozen = false;
    }
  }

  @Override
  public boolean frozen() {
    return frozen;
  }

  @Nullable Cgroups.Group cgroup() {
    return group;
  }

  @Override
  public CompletableFuture<Integer> terminate(Duration grace) {
    if (exit.isDone()) {
      return exit;
    }
    resume(); // a frozen process cannot act on SIGTERM
    Signals.toGroup(pid(), "TERM");
    timers.schedule(() -> {
      if (!exit.isDone()) {
        Signals.toGroup(pid(), "KILL");
      }
    }, grace.toMillis(), TimeUnit.MILLISECONDS);
    return exit;
  }
}
