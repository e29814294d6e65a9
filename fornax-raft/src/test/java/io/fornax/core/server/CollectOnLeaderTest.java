package io.fornax.core.server;

import static io.fornax.core.command.TestCommands.closeSession;
import static io.fornax.core.command.TestCommands.createApp;
import static io.fornax.core.command.TestCommands.createTenant;
import static io.fornax.core.command.TestCommands.openSession;
import static io.fornax.core.command.TestCommands.tenant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.proto.Session;
import io.fornax.core.leader.Collector;
import io.fornax.core.leader.SchedulerLoop;
import io.fornax.core.state.LifecycleCheck;
import io.fornax.core.state.Table;
import io.fornax.scheduler.Scheduler;
import io.fornax.scheduler.SchedulerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader's loop removes finished sessions: past the bound the earliest closed go first. */
class CollectOnLeaderTest {
  @TempDir Path dir;

  @Test
  void theEarliestFinishedSessionsAreRemovedDownToTheBound() throws Exception {
    try (InMemoryCoreBackend backend = new InMemoryCoreBackend(dir, 100)) {
      long now = backend.clock().millis();
      backend.submit(createTenant("t", now));
      backend.submit(createApp(tenant("t"), "t", "web", now));
      for (int i = 0; i < 6; i++) {
        backend.submit(openSession(tenant("t"), "t", "web", "s" + i, "", now));
      }
      // Closed in the order s3, s1, s5, s0 (retention 10 min: none is old enough by age).
      for (int s : new int[] {3, 1, 5, 0}) {
        backend.submit(closeSession(tenant("t"), "t", "s" + s, now - 60_000 + s));
      }
      SchedulerLoop loop = new SchedulerLoop(() -> backend, new Scheduler(SchedulerConfig.DEFAULT),
          Duration.ofMillis(50), Duration.ofMinutes(1), Duration.ofMinutes(2),
          new Collector(Duration.ofMinutes(10), 2, 100));
      try {
        loop.onLeaderReady(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> names(backend).size() == 4);
        assertEquals(List.of("s2", "s3", "s4", "s5"), names(backend),
            "open s2 and s4 kept, and the two latest closed; s0 and s1 removed");
        LifecycleCheck.matchesTables(backend.state());
      } finally {
        loop.close();
      }
    }
  }

  private static List<String> names(InMemoryCoreBackend backend) {
    return backend.state().<Session>list(Table.SESSIONS, "t/").stream()
        .map(x -> x.getMeta().getName()).toList();
  }
}
