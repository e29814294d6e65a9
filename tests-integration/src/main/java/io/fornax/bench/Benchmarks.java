package io.fornax.bench;

import io.fornax.api.Threads;

/** Entry point of the bench profile: {@code -Dbench=all|core|scheduler|agent|e2e}. */
public final class Benchmarks {
  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    Threads.commonPoolOfAtLeastTwo();
    String which = args.length > 0 ? args[0] : "all";
    if (which.equals("all") || which.equals("scheduler")) {
      SchedulerBench.main(new String[0]);
    }
    if (which.equals("all") || which.equals("agent")) {
      AgentBench.main(new String[0]);
    }
    if (which.equals("all") || which.equals("core")) {
      CoreBench.run(new String[0]);
    }
    if (which.equals("e2e")) {
      // On real replica processes, started by the test harness (test classpath): not in "all".
      Class.forName("io.fornax.bench.EndToEndMain").getMethod("main", String[].class)
          .invoke(null, (Object) new String[0]);
    }
    System.exit(0);
  }
}
