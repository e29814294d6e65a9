package io.fornax.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadsTest {
  private static final String POOL = "ForkJoinPool.commonPool-worker";

  private static void assertRanOn(String prefix, String thread) {
    assertTrue(thread.startsWith(prefix), "ran on " + thread + ", expected " + prefix + "…");
  }

  @Test
  void onTwoCoresAsyncStagesRunOnTheCommonPoolOnceItIsSized() throws Exception {
    // The JDK's own choice on 2 cores: a new thread per async stage.
    assertRanOn("Thread-", probe(2, null, false));
    assertRanOn(POOL, probe(2, null, true));
    assertRanOn(POOL, probe(1, null, true));
  }

  @Test
  void aSizeGivenOnTheCommandLineIsKept() throws Exception {
    assertRanOn("Thread-", probe(2, "1", true));
  }

  @Test
  void moreCoresKeepTheJdkDefault() throws Exception {
    assertRanOn(POOL, probe(4, null, true));
    assertRanOn(POOL, probe(4, null, false));
  }

  /** The name of the thread an async stage ran on, in a JVM seeing {@code cores} cores. */
  private static String probe(int cores, String parallelism, boolean size)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:ActiveProcessorCount=" + cores, "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
    if (parallelism != null) {
      cmd.add("-D" + Threads.COMMON_POOL_PARALLELISM + "=" + parallelism);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        CommonPoolProbe.class.getName(), size ? "size" : "leave"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM still running");
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
