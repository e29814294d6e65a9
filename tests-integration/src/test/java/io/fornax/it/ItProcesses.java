package io.fornax.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Every OS process the suite starts carries one marker on its command line (replicas, agents and
 * the instances agents start for the suite's applications), so that teardown can find and kill
 * all of them, including instances orphaned by a killed agent, and prove none is left.
 */
final class ItProcesses {
  /** Unique per test JVM, so parallel builds on one machine never kill each other's processes. */
  static final String MARKER = "fornax.it.run=" + UUID.randomUUID();
  private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ItProcesses::killAll, "it-teardown"));
  }

  private ItProcesses() {}

  /** The JVM flag that marks a process as the suite's. */
  static String markerFlag() {
    return "-D" + MARKER;
  }

  static void track(Process p) {
    STARTED.add(p);
  }

  /** SIGKILL to everything the suite started and everything carrying the marker. */
  static void killAll() {
    STARTED.forEach(Process::destroyForcibly);
    STARTED.clear();
    for (long pid : marked()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** Live processes (zombies excluded) whose command line carries the marker. */
  static List<Long> marked() {
    return scan(pid -> read(Path.of("/proc", Long.toString(pid), "cmdline")).contains(MARKER));
  }

  /** Live processes whose environment holds {@code key=value} (e.g. FORNAX_INSTANCE_ID). */
  static List<Long> withEnv(String key, String value) {
    String entry = "\0" + key + "=" + value + "\0";
    return scan(pid -> ("\0" + read(Path.of("/proc", Long.toString(pid), "environ"))).contains(entry));
  }

  private static List<Long> scan(java.util.function.LongPredicate match) {
    List<Long> out = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String n = p.getFileName().toString();
        if (!n.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long pid = Long.parseLong(n);
        if (pid != self && match.test(pid) && !zombie(pid)) {
          out.add(pid);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private static boolean zombie(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    int close = stat.lastIndexOf(')');
    return stat.isEmpty() || (close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z');
  }

  private static String read(Path p) {
    try {
      return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (IOException | SecurityException e) {
      return ""; // gone meanwhile, or not ours
    }
  }
}
