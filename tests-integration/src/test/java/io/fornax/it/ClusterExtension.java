package io.fornax.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Gives each test its clusters in {@code target/it/<class>/<test>/}, tears every process down
 * after it (and proves none is left), and prints the tail of every log when it fails.
 *
 * <pre>{@code @RegisterExtension final ClusterExtension clusters = new ClusterExtension();}</pre>
 */
public final class ClusterExtension implements BeforeEachCallback, AfterEachCallback, TestWatcher {
  private static final int TAIL_LINES = 60;
  private final List<ProcessCluster> clusters = new ArrayList<>();
  private Path testDir;

  /** Makes and starts a cluster (a leader is elected, agents are started). */
  public FornaxCluster start(ClusterOptions options) {
    ProcessCluster c = new ProcessCluster(testDir.resolve("cluster-" + (clusters.size() + 1)), options);
    clusters.add(c);
    return c.start();
  }

  @Override
  public void beforeEach(ExtensionContext ctx) throws IOException {
    clusters.clear();
    String test = ctx.getRequiredTestMethod().getName() + "-"
        + ctx.getDisplayName().replaceAll("[^A-Za-z0-9.=-]+", "_");
    testDir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target")
        .resolve("it").resolve(ctx.getRequiredTestClass().getSimpleName()).resolve(test);
    deleteRecursively(testDir);
    Files.createDirectories(testDir);
  }

  @Override
  public void afterEach(ExtensionContext ctx) {
    if (ctx.getExecutionException().isPresent()) {
      clusters.forEach(ProcessCluster::dumpThreads); // what each process was doing when it failed
    }
    clusters.forEach(ProcessCluster::close);
    try {
      await("no process of the test left").atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100)).until(() -> ItProcesses.marked().isEmpty());
    } catch (ConditionTimeoutException e) {
      List<Long> left = ItProcesses.marked();
      ItProcesses.killAll();
      throw new AssertionError("processes left behind after teardown: " + left);
    }
  }

  @Override
  public void testFailed(ExtensionContext ctx, Throwable cause) {
    for (ProcessCluster c : clusters) {
      System.err.println("---- " + ctx.getDisplayName() + " failed; logs in " + c.dir().resolve("logs")
          + c.tails(TAIL_LINES));
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
