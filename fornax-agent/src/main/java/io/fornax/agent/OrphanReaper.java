package io.fornax.agent;

import io.fornax.agent.adoption.InstanceRecords;
import io.fornax.agent.runtime.InstanceRuntime;
import io.fornax.agent.runtime.ProcStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers each instance's process group ({@code pid} file: pid and start time) in its folder,
 * apart from the fuller instance record, so that a restarted agent kills whatever its previous
 * run left and did not re-adopt, even where the record is unreadable: no process is ever
 * orphaned. A pid that now belongs to a process with another start time is not ours and is left
 * alone.
 */
final class OrphanReaper {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

  private OrphanReaper() {}

  static void record(Path dir, long pid, long startTime) throws IOException {
    Files.writeString(dir.resolve("pid"), pid + " " + startTime);
  }

  static void forget(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve("pid"));
    } catch (IOException e) {
      // the next start kills nothing that is not running
    }
  }

  /**
   * Kills what each instance folder not in {@code keep} names, lets each runtime clean up what
   * else it left there (containers), and removes the folder.
   */
  static void reap(Path instancesDir, Set<Path> keep, List<InstanceRuntime> runtimes)
      throws IOException {
    try (Stream<Path> dirs = Files.list(instancesDir)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (keep.contains(d) || !Files.isDirectory(d)) {
          continue;
        }
        Path pidFile = d.resolve("pid");
        if (Files.exists(pidFile)) {
          kill(pidFile, d);
        }
        for (InstanceRuntime r : runtimes) {
          r.cleanUp(d);
        }
        InstanceRecords.removeFolder(d);
      }
    }
  }

  private static void kill(Path pidFile, Path dir) throws IOException {
    String[] f = Files.readString(pidFile).trim().split("\\s+");
    long pid;
    long startTime;
    try {
      pid = Long.parseLong(f[0]);
      startTime = f.length > 1 ? Long.parseLong(f[1]) : 0; // 0: written before start times were
    } catch (NumberFormatException e) {
      LOG.warn("unreadable pid file {}: nothing killed", pidFile);
      return;
    }
    var stat = ProcStat.of(pid).filter(ProcStat::alive);
    if (stat.isPresent() && startTime != 0 && stat.get().startTime() != startTime) {
      return; // the pid was reused by an unrelated process; ours is gone
    }
    // Alive: ours. Gone: its group id cannot have been reused while a member lives.
    if (stat.isPresent()) {
      LOG.info("killing process group {} left by a previous agent run ({})", pid, dir.getFileName());
    }
    new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }
}
