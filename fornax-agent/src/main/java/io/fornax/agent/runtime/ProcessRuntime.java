package io.fornax.agent.runtime;

import io.fornax.api.Nullable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default runtime: each instance is an OS process started in its own session (setsid), with
 * the application's command, args, env and working dir, stdout/stderr written by the process
 * itself to size-capped files, and cgroup limits where cgroups are writable. Works without root.
 * Instances outlive the agent; a restarted agent takes them over with {@link #adopt}.
 */
public final class ProcessRuntime implements InstanceRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);

  private final long maxLogBytes;
  private final @Nullable Cgroups cgroups;
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(io.fornax.api.Threads.daemon("process-runtime"));

  public ProcessRuntime(long maxLogBytes, @Nullable Path cgroupRoot) {
    this.maxLogBytes = maxLogBytes;
    this.cgroups = cgroupRoot == null ? null : Cgroups.detect(cgroupRoot);
    if (cgroupRoot != null && cgroups == null) {
      LOG.info("cgroups not writable under {}: instances run without cpu/memory limits", cgroupRoot);
    }
  }

  public boolean limitsEnforced() {
    return cgroups != null;
  }

  @Override
  public String name() {
    return "process";
  }

  /**
   * Waits (at most a second) until the new process leads its own process group, so signals to
   * the group reach it from the first one on; a process that exits first is fine too.
   */
  private static void awaitOwnGroup(Process p) {
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (p.isAlive() && System.nanoTime() < deadline) {
      var stat = ProcStat.of(p.pid());
      if (stat.isEmpty() || stat.get().pgrp() == p.pid()) {
        return; // leads its group, or gone already (or no /proc): nothing to wait for
      }
      Thread.onSpinWait();
    }
  }

  @Override
  public ProcessInstance start(InstanceSpec spec) throws IOException {
    Files.createDirectories(spec.dir());
    Cgroups.Group group = cgroups == null ? null : cgroups.create(spec.id(), spec.resources());
    List<String> command = new ArrayList<>();
    if (group != null) {
      // The shell joins the cgroups and then becomes the command (exec keeps the pid), so the
      // limits hold from the command's first instruction and cover everything it forks.
      command.addAll(List.of("/bin/sh", "-c", group.joinScript() + " && exec setsid \"$0\" \"$@\""));
    } else {
      command.add("setsid");
    }
    command.add(spec.runtime().getCommand());
    command.addAll(spec.runtime().getArgsList());
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.putAll(spec.runtime().getEnvMap());
    env.putAll(spec.env());
    String wd = spec.runtime().getWorkingDir();
    pb.directory((wd.isEmpty() ? spec.dir() : Path.of(wd)).toFile());
    // No pipes to the agent: the instance writes its own files (append mode, so the agent can
    // truncate them to cap their size) and outlives an agent that dies.
    List<Path> logs = logs(spec.dir());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.get(0).toFile()));
    pb.redirectError(ProcessBuilder.Redirect.appendTo(logs.get(1).toFile()));
    Process p = pb.start();
    awaitOwnGroup(p);
    return new ProcessInstance(spec.id(), p.toHandle(), ProcStat.startTimeOf(p.pid()),
        p.onExit().thenApply(Process::exitValue), group, timers, false, logs, maxLogBytes);
  }

  private static List<Path> logs(Path dir) {
    return List.of(dir.resolve("stdout.log"), dir.resolve("stderr.log"));
  }

  /**
   * Takes over an instance a previous agent run started, if its process still lives and started
   * at {@code startTime} (a different start time means the pid now belongs to someone else: it is
   * left alone). An instance whose process is gone has whatever it left in its group killed.
   */
  @Override
  public Adoption adopt(String id, long pid, long startTime, Path dir, boolean frozen) {
    Optional<ProcStat> stat = ProcStat.of(pid).filter(ProcStat::alive);
    if (stat.isPresent() && stat.get().startTime() != startTime) {
      discardCgroup(id);
      return Adoption.gone("its process exited while the agent was down (pid " + pid
          + " now belongs to another process)");
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (stat.isEmpty() || handle.isEmpty()) {
      // The group id cannot have been reused while any of its members lives: safe to kill.
      Signals.toGroup(pid, "KILL");
      discardCgroup(id);
      return Adoption.gone("exited while the agent was down (exit code unknown)");
    }
    Cgroups.Group group = cgroups == null ? null : cgroups.existing(id);
    return Adoption.adopted(new ProcessInstance(id, handle.get(), startTime,
        handle.get().onExit().thenApply(h -> RunningInstance.UNKNOWN_EXIT), group, timers, frozen,
        logs(dir), maxLogBytes));
  }

  private void discardCgroup(String id) {
    Cgroups.Group g = cgroups == null ? null : cgroups.existing(id);
    if (g != null) {
      g.freeze(false);
      g.delete();
    }
  }
}
