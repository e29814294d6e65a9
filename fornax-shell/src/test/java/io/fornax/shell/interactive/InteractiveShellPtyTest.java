package io.fornax.shell.interactive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.core.CoreNode;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.LoopbackCluster;
import io.fornax.core.server.Tokens;
import io.fornax.client.FornaxClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fornax shell} in a real pseudo-terminal (util-linux {@code script}), against a real
 * cluster: output of a typed command, TAB completion, history across two runs, Ctrl-C ending a
 * watch and giving the prompt back.
 */
class InteractiveShellPtyTest {
  private static final String ADMIN = "admin.pty-tests";
  @TempDir Path tmp;

  @Test
  void promptCompletesRemembersAndCancels() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1)");
    List<CoreNode> nodes = new ArrayList<>();
    List<String> apis = new ArrayList<>();
    for (CoreConfig c : LoopbackCluster.configs(tmp.resolve("core"), 3, Tokens.sha256Hex(ADMIN))) {
      nodes.add(CoreNode.start(c, c.adminTokenHash, Clock.systemUTC()));
      apis.add(c.self().api);
    }
    try (FornaxClient admin = FornaxClient.builder().endpoints(apis).token(ADMIN).build()) {
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> admin.tenants().create("ptytenant") != null);

      Pty first = new Pty(tmp, apis);
      first.await("fornax> ");
      first.type("get ten\t");
      first.await("get tenants ");
      first.type("\r");
      first.await("ptytenant");
      first.await("fornax> "); // keys typed before the prompt is back may be dropped
      first.type("\u0004"); // Ctrl-D
      assertEquals(0, first.exit());
      String history = Files.readString(tmp.resolve("home/.fornax/history"));
      assertTrue(history.contains("get tenants"), history);

      Pty second = new Pty(tmp, apis);
      second.await("fornax> ");
      second.type("\u0010\r"); // Ctrl-P (previous line): the last line of the first run
      await().atMost(Duration.ofSeconds(20))
          .until(() -> second.output().split("ptytenant", -1).length > 1);
      second.await("ptytenant");
      second.await("fornax> ");
      second.type("watch apps\r");
      second.await("watching");
      second.type("\u0003"); // Ctrl-C
      second.await("cancelled");
      second.await("fornax> ");
      second.type("exit\r");
      assertEquals(0, second.exit());
      assertTrue(second.output().lastIndexOf("fornax> ") > second.output().indexOf("cancelled"),
          "the prompt came back after Ctrl-C");
    } finally {
      for (CoreNode n : nodes) {
        n.close();
      }
    }
  }

  /** A shell JVM on a pseudo-terminal, its screen output collected. */
  private static final class Pty {
    private final Process process;
    private final OutputStream keys;
    private final StringBuffer screen = new StringBuffer();

    Pty(Path tmp, List<String> apis) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      // script(1) runs the command through $SHELL -c; exec makes the JVM the pty's only process,
      // else a shell that waits for it (dash) also receives Ctrl-C's SIGINT and dies of it (130).
      String cmd = "exec " + java + " -cp '" + System.getProperty("java.class.path")
          + "' io.fornax.shell.FornaxCli shell";
      ProcessBuilder pb = new ProcessBuilder("script", "-qfec", cmd, "/dev/null");
      pb.environment().put("FORNAX_ENDPOINTS", String.join(",", apis));
      pb.environment().put("FORNAX_TOKEN", ADMIN);
      pb.environment().put("HOME", tmp.resolve("home").toString());
      pb.environment().put("TERM", "xterm");
      pb.environment().put("SHELL", "/bin/sh");
      pb.environment().remove("FORNAX_CONFIG");
      pb.redirectErrorStream(true);
      process = pb.start();
      keys = process.getOutputStream();
      Thread reader = new Thread(() -> drain(process.getInputStream()), "pty-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void drain(InputStream in) {
      byte[] buf = new byte[4096];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // process gone
      }
    }

    void type(String s) throws IOException {
      keys.write(s.getBytes(StandardCharsets.UTF_8));
      keys.flush();
    }

    /** Waits until the screen shows {@code text} after what was awaited before. */
    void await(String text) {
      waitFor(text);
    }

    private void waitFor(String text) {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> screen.indexOf(text, mark) >= 0);
      mark = screen.indexOf(text, mark) + text.length();
    }

    private int mark;

    String output() {
      return screen.toString();
    }

    int exit() throws InterruptedException {
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "shell exited; screen: " + screen);
      return process.exitValue();
    }
  }
}
