package io.fornax.shell;

import io.fornax.core.CoreNode;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.LoopbackCluster;
import io.fornax.core.server.Tokens;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Three real core replicas in this JVM, and one-shot fornax commands run against them. */
final class TestCluster implements AutoCloseable {
  static final String ADMIN = "admin.shell-tests";
  final List<CoreNode> nodes = new ArrayList<>();
  final List<String> apis = new ArrayList<>();
  final Path home;

  /** What a command printed and returned. */
  record Run(int code, String out, String err) {}

  TestCluster(Path root) throws Exception {
    home = root.resolve("home");
    for (CoreConfig c : LoopbackCluster.configs(root.resolve("core"), 3, Tokens.sha256Hex(ADMIN))) {
      c.scheduler.tick = Duration.ofMillis(100);
      nodes.add(CoreNode.start(c, c.adminTokenHash, Clock.systemUTC()));
      apis.add(c.self().api);
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> nodes.stream().anyMatch(n -> n.replica().isLeader()));
  }

  /** The environment a user of this cluster has: endpoints and the admin token. */
  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("FORNAX_ENDPOINTS", String.join(",", apis));
    env.put("FORNAX_TOKEN", ADMIN);
    return env;
  }

  Run run(String... args) {
    return run(env(), "", args);
  }

  Run run(Map<String, String> env, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try (ShellContext ctx = new ShellContext(env::get, home, Clock.systemUTC(),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false)) {
      CommandLine cl = FornaxCli.commandLine(new FornaxCli(ctx));
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      int code = cl.execute(args);
      return new Run(code, out.toString(), err.toString());
    }
  }

  @Override
  public void close() throws Exception {
    for (CoreNode n : nodes) {
      n.close();
    }
  }
}
