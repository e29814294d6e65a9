package io.fornax.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.AgentReportRequest;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Response;
import io.fornax.core.leader.AgentGateway;
import io.fornax.core.leader.Collector;
import io.fornax.core.leader.SchedulerLoop;
import io.fornax.scheduler.Scheduler;
import io.fornax.scheduler.SchedulerConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's report is answered once the leader has proposed it, not once it is committed: the
 * agent's deadline on that answer detects a frozen leader, and a slow commit under load must not
 * look like one. A report that does not commit closes the node's stream, so the agent reconnects
 * with its full state.
 */
class AgentReportAnswerTest {
  @TempDir Path dir;

  @Test
  void aReportIsAnsweredBeforeItsCommitAndAFailedOneClosesTheStream() throws Exception {
    try (InMemoryCoreBackend real = new InMemoryCoreBackend(dir, 100)) {
      ScriptedBackend backend = new ScriptedBackend(real);
      SchedulerLoop loop = new SchedulerLoop(() -> backend, new Scheduler(SchedulerConfig.DEFAULT),
          Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofMinutes(2),
          new Collector(Duration.ofMinutes(10), 1000, 100));
      AgentGateway gateway = new AgentGateway(() -> backend, loop);
      loop.onLeaderReady(1);
      try {
        EmbeddedChannel stream = new EmbeddedChannel();
        Node node = Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n1"))
            .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setSimulated(true)
                .setCapacity(Capacity.newBuilder().setCpuMillis(1000).setMemoryBytes(1L << 30)
                    .setMaxInstances(1)))
            .build();
        gateway.connect(1, AgentConnectRequest.newBuilder().setNode(node).build(), stream)
            .get(10, TimeUnit.SECONDS);
        assertTrue(stream.isOpen());

        CompletableFuture<CommandResult> commit = new CompletableFuture<>();
        backend.submit = c -> commit;
        CompletableFuture<Response> answer = gateway.report(AgentReportRequest.newBuilder()
            .setNode("n1").addInstances(InstanceReport.newBuilder().setTenant("t")
                .setName("i-1").setState(InstanceState.INSTANCE_READY)).build());
        assertTrue(answer.isDone(), "answered while the commit is pending");
        assertEquals(ErrorCode.OK, answer.get().getError().getCode());
        assertTrue(stream.isOpen());

        commit.complete(CommandResult.newBuilder().setError(io.fornax.api.proto.Error.newBuilder()
            .setCode(ErrorCode.UNAVAILABLE).setMessage("no quorum")).build());
        stream.runPendingTasks();
        assertFalse(stream.isOpen(), "a report that did not commit ends the stream");
      } finally {
        loop.close();
        gateway.close();
      }
    }
  }
}
