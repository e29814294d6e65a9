package io.fornax.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every replica config shipped under conf/ loads as it is (paths from the module directory). */
class ShippedCoreConfigsTest {
  @ParameterizedTest
  @ValueSource(strings = {"local", "ha"})
  void everyReplicaConfigLoads(String set) {
    String groupId = null;
    for (int i = 1; i <= 3; i++) {
      CoreConfig c = CoreConfig.load(Path.of("../conf/" + set + "/core-" + i + ".yaml"));
      assertEquals("core-" + i, c.id);
      assertEquals(3, c.peers.size());
      assertEquals("core-" + i, c.self().id);
      assertTrue(c.adminTokenFile != null ^ c.adminTokenHash != null);
      assertTrue(c.raft.electionTimeoutMin.compareTo(c.raft.electionTimeoutMax) < 0);
      assertTrue(c.scheduler.nodeNotReadyAfter.compareTo(c.scheduler.nodeDownAfter) < 0);
      if (groupId != null) {
        assertEquals(groupId, c.groupId, "one group id for the three replicas");
      }
      groupId = c.groupId;
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void haConfigsSuitALan(int i) {
    CoreConfig c = CoreConfig.load(Path.of("../conf/ha/core-" + i + ".yaml"));
    assertEquals("/var/lib/fornax/core", c.dataDir);
    assertEquals(Duration.ofSeconds(1), c.raft.electionTimeoutMin);
    assertEquals("core-" + i + ".example.internal:9881", c.self().api);
  }
}
