package io.fornax.shell.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fornax.api.proto.Application;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestParserTest {
  private static final Map<String, String> ENV = Map.of("CP", "/opt/echo.jar");
  private final ManifestParser parser = new ManifestParser(ENV::get);

  private static final String GOOD = """
      kind: Application
      name: echo
      tenant: demo
      labels: {team: edge}
      spec:
        runtime:
          command: java
          args: ["-cp", "${CP}", "io.fornax.examples.EchoApp"]
          env: {GREETING: hi}
        ports: [{name: main, port: 7000}]
        resources: {cpu: 250m, memory: 128Mi}
        scaling: {minInstances: 0, maxInstances: 5, idleSessionsLow: 1, idleSessionsHigh: 2,
                  burst: 2, idleTimeout: 5m, standby: false}
        session: {sessionsPerInstance: 1, openTimeout: 30s, closeGracePeriod: 5s,
                  killInstanceOnClose: false}
        nodeSelector: {}
      ---
      kind: Tenant
      name: demo
      quota: {maxApplications: 10, maxCpu: "2", maxMemory: 1Gi}
      """;

  @Test
  void bindsEveryFieldWithUnits() {
    List<Manifest> ms = parser.parse("app.yaml", GOOD);
    assertEquals(2, ms.size());
    Application a = ms.get(0).application();
    assertEquals("application/echo", ms.get(0).ref());
    assertEquals("demo", a.getMeta().getTenant());
    assertEquals("edge", a.getMeta().getLabelsOrThrow("team"));
    assertEquals(List.of("-cp", "/opt/echo.jar", "io.fornax.examples.EchoApp"),
        a.getSpec().getRuntime().getArgsList());
    assertEquals(250, a.getSpec().getResources().getCpuMillis());
    assertEquals(128L << 20, a.getSpec().getResources().getMemoryBytes());
    assertEquals(300_000, a.getSpec().getScaling().getIdleTimeoutMs());
    assertEquals(30_000, a.getSpec().getSession().getOpenTimeoutMs());
    assertEquals(7000, a.getSpec().getPorts(0).getPort());
    assertEquals(2000, ms.get(1).tenant().getQuota().getMaxCpuMillis());
    assertEquals(1L << 30, ms.get(1).tenant().getQuota().getMaxMemoryBytes());
  }

  /** file:line: what is wrong; each case replaces one line of a valid manifest. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      typo            | maxInstances: 5             | maxInstance: 5          | app.yaml:7: spec.scaling.maxInstance: unknown field (did you mean maxInstances?)
      wrong type      | maxInstances: 5             | maxInstances: five      | app.yaml:7: spec.scaling.maxInstances: must be a whole number (got a string)
      negative        | maxInstances: 5             | maxInstances: -1        | app.yaml:7: spec.scaling.maxInstances: must be 0..4294967295 (got -1)
      bad duration    | idleTimeout: 5m             | idleTimeout: 5 minutes  | app.yaml:8: spec.scaling.idleTimeout: "5 minutes" is not a duration: write e.g. 300ms, 10s, 5m, 1h or 2d
      bad cpu         | cpu: 250m                   | cpu: 250x               | app.yaml:11: spec.resources.cpu: "250x" is not a CPU quantity: write e.g. 250m, 0.5 or 2 (cores)
      bad memory      | memory: 128Mi               | memory: 128MB           | app.yaml:12: spec.resources.memory: "128MB" is not a memory quantity: write e.g. 128Mi, 1Gi, 500M or a number of bytes
      unset variable  | command: java               | command: ${NOPE}        | app.yaml:5: spec.runtime.command: environment variable NOPE is not set
      validator       | standby: false              | idleSessionsLow: 9      | app.yaml:9: spec.scaling.idleSessionsLow must be <= maxInstances (got 9 > 5)
      validator name  | name: echo                  | name: Echo_1            | app.yaml:2: name must be a DNS label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (got "Echo_1")
      bad kind        | kind: Application           | kind: App               | app.yaml:1: kind: must be Application or Tenant (got "App")
      bool            | standby: false              | standby: maybe          | app.yaml:9: spec.scaling.standby: must be true or false (got a string)
      top typo        | name: echo                  | nmae: echo              | app.yaml:2: nmae: unknown field (did you mean name?)
      """)
  void rejectsWithFileLineAndPath(String what, String from, String to, String expected) {
    String text = """
        kind: Application
        name: echo
        spec:
          runtime:
            command: java
          scaling:
            maxInstances: 5
            idleTimeout: 5m
            standby: false
          resources:
            cpu: 250m
            memory: 128Mi
        """;
    ManifestException e = assertThrows(ManifestException.class,
        () -> parser.parse("app.yaml", text.replace(from, to)));
    if (what.equals("validator name")) {
      assertEquals("app.yaml:2: name \"Echo_1\"", e.getMessage().substring(0, 25));
    } else {
      assertEquals(expected, e.getMessage());
    }
  }

  @Test
  void oneBadDocumentFailsTheWholeFile() {
    String text = GOOD + "---\nkind: Application\nname: two\nspec: {runtime: {command: x}, burst: 1}\n";
    ManifestException e = assertThrows(ManifestException.class, () -> parser.parse("a.yaml", text));
    assertEquals("a.yaml:24: spec.burst: unknown field (known: runtime, ports, resources, scaling,"
        + " session, nodeSelector)", e.getMessage());
  }

  @Test
  void brokenYamlAndEmptyFiles() {
    assertEquals("x.yaml:2", assertThrows(ManifestException.class,
        () -> parser.parse("x.yaml", "kind: Application\n  name: [oops\n")).getMessage()
        .substring(0, 8));
    assertEquals("x.yaml: no manifests in the file", assertThrows(ManifestException.class,
        () -> parser.parse("x.yaml", "---\n")).getMessage());
  }

  @ParameterizedTest
  @CsvSource({"250m,250", "1,1000", "0.5,500", "2.25,2250"})
  void cpu(String text, long millis) {
    assertEquals(millis, Units.cpuMillis(text));
  }

  @ParameterizedTest
  @CsvSource({"128Mi,134217728", "1Gi,1073741824", "500M,500000000", "1024,1024", "1.5Ki,1536"})
  void memory(String text, long bytes) {
    assertEquals(bytes, Units.memoryBytes(text));
  }
}
