package io.fornax.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers each instance's process group in its folder, so an agent that restarts after a
 * crash kills whatever its previous run left: no process is ever orphaned. (Re-adopting live
 * instances instead is not built yet.)
 */
final class OrphanReaper {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

  private OrphanReaper() {}

  static void record(Path dir, long pid) throws IOException {
    Files.writeString(dir.resolve("pid"), Long.toString(pid));
  }

  static void forget(long pid, Path dir) {
    try {
      Files.deleteIfExists(dir.resolve("pid"));
    } catch (IOException e) {
      // the next start kills nothing that is not running
    }
  }

  static void reap(Path instancesDir) throws IOException {
    try (Stream<Path> dirs = Files.list(instancesDir)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        Path pidFile = d.resolve("pid");
        if (!Files.exists(pidFile)) {
          continue;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (alive) {
          LOG.info("killing process group {} left by a previous agent run ({})", pid, d.getFileName());
          new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start();
        }
        Files.delete(pidFile);
      }
    }
  }
}
