package io.fornax.agent.runtime;

import io.fornax.api.Nullable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default runtime: each instance is an OS process started in its own session (setsid), with
 * the application's command, args, env and working dir, stdout/stderr in size-capped files,
 * and cgroup limits where cgroups are writable. Works without root.
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
      try {
        String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (Long.parseLong(f[2]) == p.pid()) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        return; // gone already, or no /proc: nothing to wait for
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
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    awaitOwnGroup(p);
    CappedLog.pump(p.getInputStream(), spec.dir().resolve("stdout.log"), maxLogBytes,
        spec.id() + "-stdout");
    CappedLog.pump(p.getErrorStream(), spec.dir().resolve("stderr.log"), maxLogBytes,
        spec.id() + "-stderr");
    return new ProcessInstance(spec.id(), p, group, timers);
  }
}
