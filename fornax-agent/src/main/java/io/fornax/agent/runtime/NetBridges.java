package io.fornax.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The socat relays that connect a container in its own network namespace to the node: Unix
 * sockets in the instance's {@code run/} folder are the crossing points (a Unix socket is a file,
 * reachable from any network namespace that sees the file). The container reaches the session
 * server through one; the ingress reaches each of the container's ports through another. Each relay runs in its own process
 * group (setsid) so that it goes with the connections it forked, and outlives the agent like the
 * container does. They are listed in {@code run/bridges} (pid, start time, command) so that a
 * restarted agent keeps the live ones, restarts the dead ones, or kills them all with the
 * container. The relays run in {@code run/} and name their sockets relative to it.
 */
final class NetBridges {
  static final String SESSION_SOCKET = "session.sock";
  /** sun_path holds 108 bytes, the terminating NUL included. */
  private static final int MAX_SOCKET_PATH = 107;
  private static final String LIST = "bridges";

  private NetBridges() {}

  /** {@code run/} of instance folder {@code dir}, created if missing. */
  static Path runDir(Path dir) throws IOException {
    return Files.createDirectories(dir.resolve("run"));
  }

  /** Relays {@code run/session.sock} to the agent's session server at {@code hostPort} (TCP). */
  static void sessionServer(Path dir, String hostPort) throws IOException {
    Path run = runDir(dir);
    start(run, List.of("socat", "UNIX-LISTEN:" + SESSION_SOCKET + ",fork,unlink-early,mode=600",
        "TCP:" + hostPort));
    awaitFile(run.resolve(SESSION_SOCKET));
  }

  /**
   * Makes {@code port} inside the network namespace of process {@code containerPid} reachable
   * through the Unix socket {@link #portSocket}: a relay in the namespace from that socket to
   * {@code 127.0.0.1:port}. Nothing listens for it on the node's network: only the ingress
   * port of an open session leads there.
   */
  static void port(Path dir, long containerPid, int port) throws IOException {
    Path run = runDir(dir);
    Path sock = portSocket(dir, port);
    if (sock.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
      throw new IOException("socket path " + sock + " is longer than " + MAX_SOCKET_PATH
          + " bytes, the limit for Unix sockets: choose a shorter dataDir");
    }
    start(run, List.of("nsenter", "--target", Long.toString(containerPid), "--net", "socat",
        "UNIX-LISTEN:" + sock.getFileName() + ",fork,unlink-early,mode=600",
        "TCP:127.0.0.1:" + port));
    awaitFile(sock);
  }

  /** The Unix socket that leads to the instance's {@code port}. */
  static Path portSocket(Path dir, int port) {
    return dir.resolve("run").resolve("port-" + port + ".sock").toAbsolutePath();
  }

  /** After an agent restart: relays still running are kept, dead ones started again. */
  static void keepAlive(Path dir) throws IOException {
    Path list = dir.resolve("run").resolve(LIST);
    if (!Files.exists(list)) {
      return;
    }
    List<String> lines = Files.readAllLines(list);
    Files.delete(list);
    for (String line : lines) {
      Relay r = Relay.parse(line);
      if (r == null) {
        continue;
      }
      if (r.alive()) {
        append(list, r);
      } else {
        start(dir.resolve("run"), r.command());
      }
    }
  }

  /** Kills every relay of the instance (and the connections they forked). */
  static void killAll(Path dir) {
    Path list = dir.resolve("run").resolve(LIST);
    try {
      if (!Files.exists(list)) {
        return;
      }
      for (String line : Files.readAllLines(list)) {
        Relay r = Relay.parse(line);
        if (r != null && r.alive()) {
          Signals.toGroup(r.pid(), "KILL");
        }
      }
      Files.deleteIfExists(list);
    } catch (IOException e) {
      // the folder is going away with the instance
    }
  }

  private static void start(Path run, List<String> command) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("setsid");
    cmd.addAll(command);
    Process p = new ProcessBuilder(cmd).directory(run.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve("bridges.log").toFile()))
        .redirectErrorStream(true).start();
    append(run.resolve(LIST), new Relay(p.pid(), ProcStat.startTimeOf(p.pid()), command));
  }

  private static void append(Path list, Relay r) throws IOException {
    Files.writeString(list, r.line() + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  /** Waits (at most 5 s) for a relay's listening socket to appear. */
  private static void awaitFile(Path socket) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!Files.exists(socket)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("relay socket " + socket.getFileName() + " did not appear (see "
            + socket.resolveSibling("bridges.log") + ")");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting a relay");
      }
    }
  }

  /** One relay process as {@code run/bridges} lists it: pid, start time, command (tab-separated). */
  record Relay(long pid, long startTime, List<String> command) {
    String line() {
      return pid + "\t" + startTime + "\t" + String.join("\t", command);
    }

    static Relay parse(String line) {
      String[] f = line.split("\t");
      if (f.length < 3) {
        return null;
      }
      try {
        return new Relay(Long.parseLong(f[0]), Long.parseLong(f[1]),
            List.of(f).subList(2, f.length));
      } catch (NumberFormatException e) {
        return null;
      }
    }

    /** Still this relay: a live process with its pid and start time. */
    boolean alive() {
      return startTime != 0 && ProcStat.of(pid).filter(ProcStat::alive)
          .map(s -> s.startTime() == startTime).orElse(false);
    }
  }
}
