package io.fornax.agent.runtime;

import io.fornax.api.Nullable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A running process instance; signals go to its whole process group. */
public final class ProcessInstance implements RunningInstance {
  private final String id;
  private final Process process;
  private final @Nullable Cgroups.Group group;
  private final ScheduledExecutorService timers;
  private final CompletableFuture<Integer> exit;
  private volatile boolean frozen;

  ProcessInstance(String id, Process process, @Nullable Cgroups.Group group,
      ScheduledExecutorService timers) {
    this.id = id;
    this.process = process;
    this.group = group;
    this.timers = timers;
    this.exit = process.onExit().thenApply(p -> {
      // Whatever the instance left behind in its group goes with it: no orphans. The group id
      // cannot have been reused while any of its members still lives.
      Signals.toGroup(p.pid(), "KILL");
      if (group != null) {
        group.freeze(false);
        group.delete();
      }
      return p.exitValue();
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
