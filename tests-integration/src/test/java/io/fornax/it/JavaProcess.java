package io.fornax.it;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One JVM the suite runs (a replica or an agent): started again and again with the same command,
 * its output appended to one log file, signalled like an operator would.
 */
final class JavaProcess {
  /** Small heaps and a cheap JIT: seven JVMs share two cores during the suite. */
  private static final List<String> JVM_FLAGS = List.of("-Xms32m", "-Xmx256m",
      "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

  final String name;
  final Path log;
  private final List<String> command;
  private Process process;
  private boolean paused;

  JavaProcess(String name, Path log, List<String> jvmFlags, String classpath, String mainClass,
      List<String> args) {
    this.name = name;
    this.log = log;
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    boolean ownCollector = jvmFlags.stream().anyMatch(f -> f.matches("-XX:\\+Use\\w+GC"));
    // A collector in jvmFlags replaces the default one (the JVM refuses two).
    JVM_FLAGS.stream().filter(f -> !(ownCollector && f.equals("-XX:+UseSerialGC")))
        .forEach(cmd::add);
    cmd.add(ItProcesses.markerFlag());
    cmd.addAll(jvmFlags);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    this.command = List.copyOf(cmd);
  }

  synchronized void start() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    }
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "---- it: starting " + name + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      process = pb.start();
      paused = false;
      ItProcesses.track(process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  synchronized boolean isPaused() {
    return paused && isAlive();
  }

  synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException(name + " never started");
    }
    return process.pid();
  }

  /** SIGTERM, then waits (bounded) for the JVM's shutdown hooks to finish. */
  void stop(Duration within) {
    Process p = current();
    if (p == null || !p.isAlive()) {
      return;
    }
    resumeIfPaused(); // a stopped process cannot run its shutdown hooks
    p.destroy();
    if (!waitFor(p, within)) {
      throw new AssertionError(name + " did not exit within " + within + " of SIGTERM");
    }
  }

  /** SIGKILL, and waits until the kernel has reaped it. */
  void kill() {
    Process p = current();
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    if (!waitFor(p, Duration.ofSeconds(10))) {
      throw new AssertionError(name + " survived SIGKILL for 10 s");
    }
  }

  synchronized void pause() {
    signal("STOP");
    paused = true;
  }

  synchronized void resume() {
    signal("CONT");
    paused = false;
  }

  private synchronized void resumeIfPaused() {
    if (paused) {
      resume();
    }
  }

  private synchronized Process current() {
    return process;
  }

  private void signal(String sig) {
    long pid = pid();
    try {
      Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + sig + " " + pid + " (" + name + ") failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static boolean waitFor(Process p, Duration within) {
    try {
      return p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Writes a thread dump of the live (unpaused) JVM next to its log, for a failure post-mortem. */
  void dumpThreads() {
    if (!isAlive() || isPaused()) {
      return;
    }
    Path out = log.resolveSibling(log.getFileName().toString().replace(".log", ".threads.txt"));
    try {
      Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack")
          .toString(), Long.toString(pid())).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      if (!jstack.waitFor(10, TimeUnit.SECONDS)) {
        jstack.destroyForcibly();
      }
    } catch (IOException e) {
      // no jstack here: the log must do
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Bytes of the log written so far: a mark to search the log from. */
  long logSize() {
    try {
      return Files.exists(log) ? Files.size(log) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The log from {@code offset} on (what this process wrote since a {@link #logSize} mark). */
  String logSince(long offset) {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      long from = Math.min(offset, len);
      byte[] b = new byte[(int) Math.min(len - from, 16 << 20)];
      f.seek(from);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last {@code lines} lines of the log. */
  String tail(int lines) {
    String all = logSince(Math.max(0, logSize() - 256 * 1024));
    String[] split = all.split("\n");
    int from = Math.max(0, split.length - lines);
    return String.join("\n", java.util.Arrays.copyOfRange(split, from, split.length));
  }
}
