package io.fornax.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fornax.agent.adoption.InstanceRecord;
import io.fornax.agent.runtime.ProcStat;
import io.fornax.agent.runtime.ProcessRuntime;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.ObjectMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a restarted agent must not adopt: records naming reused pids, unreadable records. */
class AdoptionCleanupTest {
  @TempDir Path tmp;
  private Process bystander;

  @AfterEach
  void stopBystander() {
    if (bystander != null) {
      bystander.destroyForcibly();
    }
  }

  /** An agent whose core cannot be reached: adoption happens before it connects anyway. */
  private FornaxAgent agent() throws Exception {
    Files.writeString(tmp.resolve("token"), "admin.unused");
    AgentConfig cfg = new AgentConfig();
    cfg.node = "node-1";
    cfg.cores = java.util.List.of("127.0.0.1:1");
    cfg.tokenFile = tmp.resolve("token").toString();
    cfg.dataDir = tmp.resolve("agent").toString();
    return new FornaxAgent(cfg, new ProcessRuntime(1 << 20, null)).start();
  }

  private Path instanceDir(String name) throws Exception {
    return Files.createDirectories(tmp.resolve("agent/instances/t_" + name));
  }

  private static boolean alive(Process p) {
    return p.isAlive() && ProcStat.of(p.pid()).map(ProcStat::alive).orElse(false);
  }

  @Test
  void aRecordWhosePidWasReusedIsNotAdoptedAndTheOtherProcessLives() throws Exception {
    // The bystander leads its own group, so a wrong kill of "-pid" would reach it.
    bystander = new ProcessBuilder("setsid", "sleep", "60").start();
    long pid = bystander.pid();
    long realStart = await().until(() -> ProcStat.startTimeOf(pid), s -> s > 0);
    Path dir = instanceDir("i-reused");
    Instance inst = Instance.newBuilder().setMeta(ObjectMeta.newBuilder().setTenant("t")
        .setName("i-reused")).build();
    new ObjectMapper().writeValue(dir.resolve("instance.json").toFile(), new InstanceRecord("t",
        "i-reused", "process", pid, realStart - 1, "secret", Map.of("main", 1), Map.of(), true,
        true, false, Base64.getEncoder().encodeToString(inst.toByteArray()),
        Base64.getEncoder().encodeToString(ApplicationSpec.getDefaultInstance().toByteArray())));
    OrphanReaper.record(dir, pid, realStart - 1);

    try (FornaxAgent agent = agent()) {
      assertEquals(0, agent.runningInstances(), "not adopted");
      assertFalse(Files.exists(dir), "its folder is cleaned up");
      await("bystander untouched").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
          .until(() -> alive(bystander));
    }
  }

  @Test
  void aGarbageRecordIsCleanedUpAndWhatItsPidFileNamesIsKilled() throws Exception {
    bystander = new ProcessBuilder("setsid", "sleep", "60").start();
    long pid = bystander.pid();
    long start = await().until(() -> ProcStat.startTimeOf(pid), s -> s > 0);
    Path dir = instanceDir("i-garbage");
    Files.writeString(dir.resolve("instance.json"), "{\"tenant\": \"t\", not json at all");
    OrphanReaper.record(dir, pid, start);
    Path other = instanceDir("i-empty");
    Files.writeString(other.resolve("instance.json"), "");

    try (FornaxAgent agent = agent()) {
      assertEquals(0, agent.runningInstances());
      assertFalse(Files.exists(dir), "folder with the garbage record removed");
      assertFalse(Files.exists(other), "folder with the empty record removed");
      await("left-over process killed").atMost(Duration.ofSeconds(10)).until(() -> !alive(bystander));
    }
  }
}
