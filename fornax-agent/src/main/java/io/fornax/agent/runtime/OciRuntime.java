package io.fornax.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs instances as OCI containers through a runtime binary's standard CLI ({@code runc} by
 * default; {@code crun} speaks the same). Each container runs under {@code runc run} in the
 * foreground, in its own session and with its output going straight to the instance's log files
 * (capped like a process's), so its exit code is the container's and it outlives an agent that
 * dies. Freeze, resume and kill go through {@code pause}, {@code resume} and {@code kill} by
 * container id, and {@code delete} cleans up after exit.
 *
 * <p>With an isolated network the container has its own network namespace with only loopback;
 * {@link NetBridges} relays the session server (as {@code unix:/run/fornax/session.sock}) into
 * it and each of the instance's ports out of it as a Unix socket the ingress forwards to (so
 * only a session's ingress port reaches the instance), and whether the instance listens is read
 * from its namespace's {@code /proc/<pid>/net/tcp}.
 *
 * <p>A restarted agent re-adopts a container that {@code runc state} still shows running or
 * paused (its relays kept or restarted); anything else of it is deleted.
 */
public final class OciRuntime implements InstanceRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(OciRuntime.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long LOG_CHECK_MS = 1000;
  /** Names the container of an instance folder, for clean-up when its record is unreadable. */
  private static final String MARKER = "oci-container";

  private final String binary;
  private final long maxLogBytes;
  private final boolean isolatedNetwork;
  private final List<String> hostDirs;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(io.fornax.api.Threads.daemon("oci-runtime"));

  /**
   * @param isolatedNetwork each container in its own network namespace (needs socat and nsenter)
   * @param hostDirs host directories bound read-only into containers with the default root
   */
  public OciRuntime(String binary, long maxLogBytes, boolean isolatedNetwork, List<String> hostDirs) {
    this.binary = binary;
    this.maxLogBytes = maxLogBytes;
    this.isolatedNetwork = isolatedNetwork;
    this.hostDirs = List.copyOf(hostDirs);
  }

  /** Whether the binary is installed and answers {@code --version}. */
  public static boolean available(String binary) {
    return answers(binary, "--version");
  }

  /** Whether the relays of an isolated network can run here (socat and nsenter installed). */
  public static boolean relaysAvailable() {
    return answers("socat", "-V") && answers("nsenter", "--version");
  }

  private static boolean answers(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The host directories holding the entries of a Java class path (directories as they are; a
   * local Maven repository as a whole; other jars by their folder), for {@code ociHostDirs} when
   * containers run Java applications from the node's files (the examples, tests, benchmarks).
   */
  public static List<String> classPathDirs(String classPath) {
    java.util.Set<String> dirs = new java.util.TreeSet<>();
    for (String e : classPath.split(java.io.File.pathSeparator)) {
      if (e.isEmpty()) {
        continue;
      }
      Path p = Path.of(e).toAbsolutePath().normalize();
      int repo = p.toString().indexOf("/repository/");
      dirs.add(repo > 0 ? p.toString().substring(0, repo + "/repository".length())
          : Files.isDirectory(p) ? p.toString() : p.getParent().toString());
    }
    return List.copyOf(dirs);
  }

  @Override
  public String name() {
    return "oci:" + binary;
  }

  @Override
  public RunningInstance start(InstanceSpec spec) throws IOException {
    Files.createDirectories(spec.dir());
    String id = containerId(spec.id());
    cli("delete", "--force", id); // a leftover of an earlier run under the same id
    Files.writeString(spec.dir().resolve(MARKER), id);
    Path pidFile = spec.dir().resolve("container.pid");
    Process run;
    try {
      Map<String, String> env = new HashMap<>(spec.env());
      String sessionServer = env.get("FORNAX_SESSION_SERVER");
      if (isolatedNetwork && sessionServer != null) {
        NetBridges.sessionServer(spec.dir(), sessionServer);
        env.put("FORNAX_SESSION_SERVER", "unix:" + OciBundle.RUN_MOUNT + "/" + NetBridges.SESSION_SOCKET);
      }
      Path bundle = OciBundle.write(spec, env, hostDirs, isolatedNetwork);
      Files.deleteIfExists(pidFile);
      List<Path> logs = logs(spec.dir());
      // Its own session: a Ctrl-C meant for the agent's terminal does not reach the container.
      run = new ProcessBuilder("setsid", binary, "run", "--bundle", bundle.toString(),
          "--pid-file", pidFile.toString(), id)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.get(0).toFile()))
          .redirectError(ProcessBuilder.Redirect.appendTo(logs.get(1).toFile()))
          .start();
    } catch (IOException e) {
      NetBridges.killAll(spec.dir());
      throw e;
    }
    Container c = new Container(id, spec.dir(), run.pid(), ProcStat.startTimeOf(run.pid()),
        run.onExit().thenApply(Process::exitValue), false);
    long containerPid = awaitPidFile(pidFile, run);
    c.containerPid = containerPid;
    if (isolatedNetwork && containerPid > 0) {
      try {
        for (int port : spec.ports().values()) {
          NetBridges.port(spec.dir(), containerPid, port);
        }
      } catch (IOException e) {
        c.terminate(Duration.ZERO);
        throw e;
      }
    }
    return c;
  }

  /** The container's init pid once runc wrote it, or 0 if {@code run} ended first. */
  private static long awaitPidFile(Path pidFile, Process run) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (run.isAlive() && System.nanoTime() < deadline) {
      if (Files.exists(pidFile)) {
        String text = Files.readString(pidFile).trim();
        if (!text.isEmpty()) {
          return Long.parseLong(text);
        }
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting a container");
      }
    }
    return 0;
  }

  private static List<Path> logs(Path dir) {
    return List.of(dir.resolve("stdout.log"), dir.resolve("stderr.log"));
  }

  private static String containerId(String instance) {
    return "fornax-" + instance;
  }

  /**
   * Takes over the container of instance {@code id} if {@code runc state} shows it running or
   * paused. The exit is watched on the old {@code runc run} process ({@code pid}, if it is still
   * the one that started at {@code startTime}), else on the container's init; its code is not
   * known. Anything else is cleaned up: container deleted, relays killed.
   */
  @Override
  public Adoption adopt(String id, long pid, long startTime, Path dir, boolean frozen) {
    String cid = containerId(id);
    Optional<JsonNode> state = state(cid);
    String status = state.map(s -> s.path("status").asText()).orElse("");
    long containerPid = state.map(s -> s.path("pid").asLong()).orElse(0L);
    boolean runAlive = ProcStat.of(pid).filter(ProcStat::alive)
        .map(s -> s.startTime() == startTime).orElse(false);
    Optional<ProcessHandle> watched = runAlive ? ProcessHandle.of(pid) : ProcessHandle.of(containerPid);
    if (!(status.equals("running") || status.equals("paused")) || watched.isEmpty()) {
      if (runAlive) {
        Signals.toGroup(pid, "KILL");
      }
      cleanUp(dir);
      return Adoption.gone(state.isEmpty()
          ? "its container is gone (exited while the agent was down; exit code unknown)"
          : "its container is " + (status.isEmpty() ? "unknown" : status) + ": deleted");
    }
    try {
      NetBridges.keepAlive(dir);
    } catch (IOException e) {
      cli("delete", "--force", cid);
      cleanUp(dir);
      return Adoption.gone("cannot restore its network relays: " + e.getMessage());
    }
    Container c = new Container(cid, dir, pid, startTime,
        watched.get().onExit().thenApply(h -> RunningInstance.UNKNOWN_EXIT),
        status.equals("paused"));
    c.containerPid = containerPid;
    return Adoption.adopted(c);
  }

  /** Deletes the container the folder names and kills its relays. */
  @Override
  public void cleanUp(Path dir) {
    NetBridges.killAll(dir);
    Path marker = dir.resolve(MARKER);
    try {
      if (Files.exists(marker)) {
        String cid = Files.readString(marker).trim();
        if (cid.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
          cli("delete", "--force", cid);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}", marker, e.toString());
    }
  }

  /** {@code runc state}: empty if the runtime does not know the container. */
  private Optional<JsonNode> state(String cid) {
    try {
      Process p = new ProcessBuilder(binary, "state", cid)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.empty();
      }
      return Optional.of(JSON.readTree(out));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
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

  /** Whether a LISTEN socket on {@code port} shows in the network namespace of {@code pid}. */
  static boolean listensIn(long pid, int port) {
    for (String table : List.of("tcp", "tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table))) {
          String[] f = line.trim().split("\\s+");
          // sl local_address rem_address st ...: "0100007F:1F90" and "0A" (LISTEN)
          if (f.length > 3 && f[3].equals("0A") && f[1].indexOf(':') > 0
              && Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16) == port) {
            return true;
          }
        }
      } catch (IOException | NumberFormatException e) {
        // no such process (any more), or no IPv6: nothing listens there
      }
    }
    return false;
  }

  /**
   * One container; {@code mainExit} watches its {@code runc run} process (or, adopted, possibly
   * its init). {@code pid} and {@code startTime} are those of the {@code runc run} process that
   * started it, which the agent records (and keeps across re-adoptions).
   */
  private final class Container implements RunningInstance {
    private final String id;
    private final Path dir;
    private final long pid;
    private final long startTime;
    private final CompletableFuture<Integer> exit;
    private final ScheduledFuture<?> logCheck;
    private volatile boolean frozen;
    /** The container's init process (host pid), 0 until known. */
    volatile long containerPid;

    Container(String id, Path dir, long pid, long startTime, CompletableFuture<Integer> mainExit,
        boolean frozen) {
      this.id = id;
      this.dir = dir;
      this.pid = pid;
      this.startTime = startTime;
      this.frozen = frozen;
      List<Path> logs = logs(dir);
      Runnable capLogs = () -> logs.forEach(f -> LogRotation.check(f, maxLogBytes));
      this.logCheck = timers.scheduleWithFixedDelay(capLogs, LOG_CHECK_MS, LOG_CHECK_MS,
          TimeUnit.MILLISECONDS);
      this.exit = mainExit.thenApply(code -> {
        NetBridges.killAll(dir);
        cli("delete", "--force", id);
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
      return pid;
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
    public java.net.SocketAddress target(int port) {
      return isolatedNetwork
          ? java.net.UnixDomainSocketAddress.of(NetBridges.portSocket(dir, port))
          : RunningInstance.super.target(port);
    }

    @Override
    public boolean listening(int port) {
      long pid = containerPid;
      if (!isolatedNetwork) {
        return RunningInstance.super.listening(port);
      }
      return pid > 0 && listensIn(pid, port);
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
