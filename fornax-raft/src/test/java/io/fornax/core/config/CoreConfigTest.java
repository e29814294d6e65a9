package io.fornax.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.FornaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CoreConfigTest {
  @TempDir Path tmp;

  @Test
  void shippedLocalConfigsLoad() {
    for (int i = 1; i <= 3; i++) {
      CoreConfig c = CoreConfig.load(Path.of("../conf/local/core-" + i + ".yaml"));
      assertEquals("core-" + i, c.id);
      assertEquals(3, c.peers.size());
      assertEquals(Duration.ofMillis(300), c.raft.electionTimeoutMin);
      assertEquals(Duration.ofSeconds(10), c.api.requestTimeout);
    }
  }

  private FornaxException loadFails(String yaml) throws Exception {
    Path f = tmp.resolve("c.yaml");
    Files.writeString(f, yaml);
    return assertThrows(FornaxException.class, () -> CoreConfig.load(f));
  }

  private static final String VALID = """
      id: a
      dataDir: /tmp/x
      adminTokenHash: %s
      peers: [{id: a, raft: "127.0.0.1:1", api: "127.0.0.1:2"}]
      """.formatted("a".repeat(64));

  @Test
  void unknownKeyIsAnErrorNamingIt() throws Exception {
    FornaxException e = loadFails(VALID + "raft: {snapshotTreshold: 5}\n");
    assertTrue(e.getMessage().contains("snapshotTreshold"), e.getMessage());
  }

  @Test
  void badDurationIsAnError() throws Exception {
    FornaxException e = loadFails(VALID + "api: {requestTimeout: soon}\n");
    assertTrue(e.getMessage().contains("soon"), e.getMessage());
  }

  @Test
  void selfMustBeAPeer() throws Exception {
    FornaxException e = loadFails(VALID.replace("id: a\n", "id: b\n"));
    assertTrue(e.getMessage().contains("\"b\""), e.getMessage());
  }

  @Test
  void malformedYamlIsAnError() throws Exception {
    FornaxException e = loadFails("id: [unclosed\n");
    assertTrue(e.getMessage().contains("c.yaml"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"300ms,300", "10s,10000", "5m,300000", "1h,3600000", "PT2S,2000"})
  void durationsParse(String text, long millis) {
    assertEquals(millis, Durations.parse(text).toMillis());
  }
}
