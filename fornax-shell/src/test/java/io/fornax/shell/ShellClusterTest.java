package io.fornax.shell;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fornax.agent.simulate.Simulation;
import io.fornax.shell.TestCluster.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** One-shot commands against a real 3-replica cluster with simulated nodes. */
class ShellClusterTest {
  @TempDir static Path tmp;
  static TestCluster cluster;
  static Simulation sim;

  private static final String APP = """
      kind: Application
      name: %s
      labels: {team: edge}
      spec:
        runtime: {command: /bin/true, args: ["${GREETING}"]}
        ports: [{name: main, port: 7000}]
        resources: {cpu: 250m, memory: 128Mi}
        scaling: {maxInstances: %d, idleTimeout: 5m}
        session: {openTimeout: 30s}
      """;

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(tmp);
    sim = new Simulation(cluster.apis, TestCluster.ADMIN, Duration.ofMillis(20),
        Duration.ofMillis(5)).start("sim", 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> sim.connected() == 2);
    Run t = cluster.run("tenant", "create", "demo");
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().startsWith("tenant/demo created\ntoken: "), t.out());
  }

  @AfterAll
  static void stop() throws Exception {
    sim.close();
    cluster.close();
  }

  private static Run apply(String name, int max) throws Exception {
    Path f = tmp.resolve(name + "-" + max + ".yaml");
    Files.writeString(f, String.format(APP, name, max));
    Map<String, String> env = cluster.env();
    env.put("GREETING", "hi");
    return cluster.run(env, "", "--tenant", "demo", "apply", "-f", f.toString());
  }

  @Test
  void nodeDrainAndUndrain() throws Exception {
    Run drained = cluster.run("node", "drain", "sim-1");
    assertEquals(new Run(0, "node/sim-1 drained (DRAINING)\n", ""), drained);
    Run described = cluster.run("describe", "node", "sim-1");
    assertTrue(described.out().contains("(drained)"), described.out());
    Run undrained = cluster.run("node", "undrain", "sim-1");
    assertEquals(0, undrained.code(), undrained.err());
    assertTrue(undrained.out().startsWith("node/sim-1 undrained"), undrained.out());
    Run ghost = cluster.run("node", "drain", "ghost");
    assertEquals(1, ghost.code());
    assertTrue(ghost.err().contains("NOT_FOUND"), ghost.err());
  }

  @Test
  void applyGetDescribeDelete() throws Exception {
    assertEquals(new Run(0, "application/web created\n", ""), apply("web", 5));
    assertEquals(new Run(0, "application/web configured\n", ""), apply("web", 6));
    assertEquals(new Run(0, "application/web unchanged\n", ""), apply("web", 6));

    Run table = cluster.run("get", "apps", "--tenant", "demo");
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().startsWith("NAME"), table.out());
    assertTrue(table.out().lines().anyMatch(l -> l.matches("web +0/0 +0 +0 +0/6 +\\d+s")),
        table.out());
    Run wide = cluster.run("get", "apps", "-o", "wide", "--tenant", "demo");
    assertTrue(wide.out().contains("team=edge"), wide.out());

    JsonNode json = new ObjectMapper().readTree(
        cluster.run("get", "app", "web", "-o", "json", "--tenant", "demo").out());
    assertEquals("web", json.path("meta").path("name").asText());
    assertEquals(134217728L, json.path("spec").path("resources").path("memoryBytes").asLong());
    assertEquals("hi", json.path("spec").path("runtime").path("args").get(0).asText());
    String yaml = cluster.run("get", "apps", "-o", "yaml", "--tenant", "demo").out();
    assertTrue(yaml.startsWith("- meta:\n") && yaml.contains("\n    name: web\n"), yaml);

    Run describe = cluster.run("describe", "app", "web", "--tenant", "demo");
    assertTrue(describe.out().contains("Unplaceable:   no"), describe.out());
    assertTrue(describe.out().contains("Scaling:       min 0, max 6"), describe.out());
    assertTrue(describe.out().contains("Events:"), describe.out());

    assertEquals(new Run(0, "application/web deleted\n", ""),
        cluster.run("delete", "app", "web", "--tenant", "demo"));
    Run gone = cluster.run("get", "app", "web", "--tenant", "demo");
    assertEquals(1, gone.code());
    assertEquals("", gone.out());
    assertTrue(gone.err().matches("Error: NOT_FOUND: [^\n]*web[^\n]*\n"), gone.err());
  }

  @Test
  void badManifestChangesNothing() throws Exception {
    Path f = tmp.resolve("bad.yaml");
    Files.writeString(f, String.format(APP, "good", 3) + "---\n"
        + String.format(APP, "bad", 3).replace("maxInstances", "maxInstance"));
    Map<String, String> env = cluster.env();
    env.put("GREETING", "hi");
    Run r = cluster.run(env, "", "--tenant", "demo", "apply", "-f", f.toString());
    assertEquals(2, r.code());
    assertEquals("Error: " + f + ":18: spec.scaling.maxInstance: unknown field (did you mean"
        + " maxInstances?)\n", r.err());
    assertEquals(1, cluster.run("get", "app", "good", "--tenant", "demo").code());

    Run unset = cluster.run(cluster.env(), String.format(APP, "x", 1), "--tenant", "demo",
        "apply", "-f", "-");
    assertEquals(new Run(2, "", "Error: <stdin>:5: spec.runtime.args[0]: environment variable"
        + " GREETING is not set\n"), unset);
  }

  @Test
  void wrongTokenIsOneLine() {
    Run r = cluster.run("--token", "nope", "get", "apps");
    assertEquals(4, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("Error: UNAUTHENTICATED: "), r.err());
    Run usage = cluster.run("get", "spaceships");
    assertEquals(2, usage.code());
  }

  @Test
  void watchStreamsChangesUntilCancelled() throws Exception {
    StringWriter out = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Map<String, String> env = cluster.env();
    ShellContext ctx = new ShellContext(env::get, cluster.home, Clock.systemUTC(),
        System.in, false);
    StringWriter err = new StringWriter();
    Thread t = new Thread(() -> {
      CommandLine cl = FornaxCli.commandLine(new FornaxCli(ctx));
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      code.set(cl.execute("watch", "apps", "--tenant", "demo"));
    });
    t.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> err.toString().contains("watching"));
    apply("watched", 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().lines()
        .anyMatch(l -> l.matches("\\d+  ADDED  application/watched  instances=0/0 .*")));
    t.interrupt();
    await().atMost(Duration.ofSeconds(10)).until(() -> code.get() == 130);
    assertTrue(err.toString().endsWith("cancelled\n"), err.toString());
    ctx.close();
  }

  @Test
  void watchForADurationEndsOnItsOwn() throws Exception {
    Run r = cluster.run("watch", "apps", "--tenant", "demo", "--for", "300ms");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("for 300ms"), r.err());
    assertEquals(2, cluster.run("watch", "apps", "--for", "soon").code());
  }

  @Test
  void sessionsOpenOnSimulatedNodesAndClose() throws Exception {
    apply("fn", 3);
    Run open = cluster.run("session", "open", "fn", "--wait", "--data", "x", "--tenant", "demo");
    assertEquals(0, open.code(), open.err());
    String name = open.out().split(" ")[0];
    assertTrue(open.out().matches("s-\\S+ AVAILABLE \\S+:\\d+\n"), open.out());
    Run list = cluster.run("get", "sessions", "--app", "fn", "--tenant", "demo");
    assertTrue(list.out().contains(name), list.out());
    Run describe = cluster.run("describe", "session", name, "--tenant", "demo");
    assertTrue(describe.out().contains("State:         AVAILABLE"), describe.out());
    Run close = cluster.run("session", "close", name, "--tenant", "demo");
    assertEquals(0, close.code(), close.err());
    assertTrue(close.out().startsWith(name + " CLOSED"), close.out());
    Run pending = cluster.run("session", "open", "fn", "--tenant", "demo");
    assertTrue(pending.out().matches("s-\\S+ (PENDING|STARTING|AVAILABLE).*\n"), pending.out());
    Run nodes = cluster.run("get", "nodes", "-o", "wide");
    assertTrue(nodes.out().contains("sim-1") && nodes.out().contains("sim-2"), nodes.out());
    Run inst = cluster.run("get", "instances", "--tenant", "demo");
    assertTrue(inst.out().contains("fn"), inst.out());
  }

  @Test
  void clusterStatusShowsEveryReplica() {
    Run r = cluster.run("cluster", "status");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().lines().filter(l -> l.contains("ok (")).count() == 3, r.out());
    assertEquals(1, r.out().lines().filter(l -> l.contains(" LEADER ")).count(), r.out());
    Run alias = cluster.run("status");
    assertEquals(0, alias.code(), alias.err());
    assertTrue(alias.out().startsWith("group "), alias.out());
  }
}
