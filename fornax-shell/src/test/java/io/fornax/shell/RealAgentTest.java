package io.fornax.shell;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.agent.AgentConfig;
import io.fornax.agent.FornaxAgent;
import io.fornax.agent.runtime.ProcessRuntime;
import io.fornax.core.config.FreePorts;
import io.fornax.shell.TestCluster.Run;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** demo and conf/examples/echo.yaml with a real agent running the real echo process. */
class RealAgentTest {
  @TempDir Path tmp;

  @Test
  void demoAndEchoExampleServeRealSessions() throws Exception {
    FornaxAgent agent = null;
    try (TestCluster cluster = new TestCluster(tmp)) {
      Path token = tmp.resolve("admin.token");
      Files.writeString(token, TestCluster.ADMIN);
      AgentConfig cfg = new AgentConfig();
      cfg.node = "node-1";
      cfg.cores = cluster.apis;
      cfg.tokenFile = token.toString();
      cfg.dataDir = tmp.resolve("agent").toString();
      int base = FreePorts.range(51);
      cfg.ingressPorts.from = base;
      cfg.ingressPorts.to = base + 50;
      agent = new FornaxAgent(cfg, new ProcessRuntime(1 << 20, null)).start();
      await().atMost(Duration.ofSeconds(30))
          .until(() -> cluster.run("get", "nodes").out().contains("READY"));
      Map<String, String> env = cluster.env();
      env.put("FORNAX_ECHO_CLASSPATH", System.getProperty("java.class.path"));

      Run demo = cluster.run(env, "", "demo");
      assertEquals(0, demo.code(), demo.out() + demo.err());
      assertTrue(demo.out().contains("got back \"hello fornax\""), demo.out());

      Run apply = cluster.run(env, "", "--tenant", "demo", "apply", "-f",
          Path.of("..", "conf", "examples", "echo.yaml").toString());
      assertEquals(new Run(0, "application/echo configured\n", ""), apply);
      Run open = cluster.run(env, "", "--tenant", "demo", "session", "open", "echo", "--wait");
      assertEquals(0, open.code(), open.err());
      String[] parts = open.out().trim().split(" ");
      String[] hostPort = parts[2].split(":");
      try (Socket s = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
        s.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
        assertEquals("ping", new String(s.getInputStream().readNBytes(4), StandardCharsets.UTF_8));
      }
      assertEquals(0, cluster.run(env, "", "--tenant", "demo", "session", "close", parts[0]).code());
    } finally {
      if (agent != null) {
        agent.close();
      }
    }
  }
}
