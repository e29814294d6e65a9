package io.fornax.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs instances as OCI containers through a runtime binary's standard CLI ({@code runc} by
 * default; {@code crun} speaks the same). The container runs in the foreground of a
 * {@code run} process the agent owns, so its exit code is the container's; freeze, resume and
 * kill go through {@code pause}, {@code resume} and {@code kill} by container id, and
 * {@code delete} cleans up after exit.
 */
public final class OciRuntime implements InstanceRuntime {
  private final String binary;
  private final long maxLogBytes;

  public OciRuntime(String binary, long maxLogBytes) {
    this.binary = binary;
    this.maxLogBytes = maxLogBytes;
  }

  /** Whether the binary is installed and answers {@code --version}. */
  public static boolean available(String binary) {
    try {
      Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String name() {
    return "oci:" + binary;
  }

  @Override
  public RunningInstance start(InstanceSpec spec) throws IOException {
    Path bundle = OciBundle.write(spec);
    String id = "fornax-" + spec.id();
    cli("delete", "--force", id); // a leftover of an earlier run under the same id
    Process p = new ProcessBuilder(binary, "run", "--bundle", bundle.toString(), id)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    CappedLog.pump(p.getInputStream(), spec.dir().resolve("stdout.log"), maxLogBytes, id + "-stdout");
    CappedLog.pump(p.getErrorStream(), spec.dir().resolve("stderr.log"), maxLogBytes, id + "-stderr");
    return new Container(id, p);
  }

  /**
   * Not re-adopted: deletes the container a previous agent run left for instance {@code id},
   * running or not (its {@code run} process was the old agent's child and its output went through
   * that agent's pipes), and the leader replaces the instance.
   */
  @Override
  public Adoption adopt(String id, long pid, long startTime, Path dir, boolean frozen) {
    cli("delete", "--force", "fornax-" + id);
    return Adoption.gone("OCI instances are not re-adopted after an agent restart: container deleted");
  }

  private boolean cli(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary);
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** One container; its {@code run} process is the agent's child. */
  private final class Container implements RunningInstance {
    private final String id;
    private final Process run;
    private final CompletableFuture<Integer> exit;
    private volatile boolean frozen;

    Container(String id, Process run) {
      this.id = id;
      this.run = run;
      this.exit = run.onExit().thenApply(p -> {
        cli("delete", "--force", id);
        return p.exitValue();
      });
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public long pid() {
      return run.pid();
    }

    @Override
    public long startTime() {
      return ProcStat.startTimeOf(run.pid());
    }

    @Override
    public CompletableFuture<Integer> exit() {
      return exit;
    }

    @Override
    public synchronized void freeze() {
      if (!frozen && cli("pause", id)) {
        frozen = true;
      }
    }

    @Override
    public synchronized void resume() {
      if (frozen && cli("resume", id)) {
        frozen = false;
      }
    }

    @Override
    public boolean frozen() {
      return frozen;
    }

    @Override
    public CompletableFuture<Integer> terminate(Duration grace) {
      if (exit.isDone()) {
        return exit;
      }
      resume();
      cli("kill", id, "TERM");
      CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
        if (!exit.isDone()) {
          cli("kill", "--all", id, "KILL");
        }
      });
      return exit;
    }
  }

}
