package io.fornax.agent.runtime;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Signals to a whole process group. Instances start in their own session (setsid), so the group
 * id is the instance's pid and a signal reaches every process the instance spawned.
 */
final class Signals {
  private Signals() {}

  static boolean toGroup(long pgid, String signal) {
    return run("kill", "-" + signal, "--", "-" + pgid);
  }

  private static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
