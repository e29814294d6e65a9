package io.fornax.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both agent configs shipped under conf/ load as they are (paths from the module directory). */
class ShippedAgentConfigsTest {
  @ParameterizedTest
  @ValueSource(strings = {"local", "ha"})
  void agentConfigLoads(String set) {
    AgentConfig c = AgentConfig.load(Path.of("../conf/" + set + "/agent.yaml"));
    assertFalse(c.node.isBlank());
    assertEquals(3, c.cores.size());
    assertEquals("process", c.runtime);
  }
}
