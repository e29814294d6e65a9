package io.fornax.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The reactor's built modules, found relative to this module ({@code ../fornax-raft/target}):
 * Failsafe runs after {@code package}, so each module's jar and its {@code target/lib} exist.
 */
final class Reactor {
  private Reactor() {}

  /** {@code <module jar>:<module>/target/lib/*}, what bin/fornax runs too. */
  static String classpath(String module) {
    Path target = root().resolve(module).resolve("target");
    try (Stream<Path> files = Files.list(target)) {
      Path jar = files.filter(f -> {
        String n = f.getFileName().toString();
        return n.startsWith(module + "-") && n.endsWith(".jar") && !n.endsWith("-sources.jar")
            && !n.endsWith("-tests.jar");
      }).findFirst().orElseThrow(() -> missing(target));
      if (!Files.isDirectory(target.resolve("lib"))) {
        throw missing(target);
      }
      return jar + ":" + target.resolve("lib") + "/*";
    } catch (IOException e) {
      throw missing(target);
    }
  }

  /** The JVM command that runs the echo example as an instance (marked as the suite's). */
  static List<String> echoCommand() {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", ItProcesses.markerFlag(),
        "-cp", classpath("fornax-agent"), "io.fornax.examples.EchoApp");
  }

  private static Path root() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
  }

  private static IllegalStateException missing(Path target) {
    return new IllegalStateException(target + " has no module jar and lib/: build first with "
        + "mvn -B -q package -DskipTests (Failsafe's verify does it)");
  }
}
