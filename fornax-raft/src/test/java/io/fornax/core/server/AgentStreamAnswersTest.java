package io.fornax.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.AgentReportRequest;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeState;
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
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the leader answers on an agent's stream, and when. An agent's deadlines on those answers
 * detect a frozen leader; a slow commit under load must not look like one. A report is answered
 * once proposed (one that does not commit closes the stream, so the agent reconnects with its
 * full state); a connect is answered at once with an empty response, before its registration
 * commits, and the node counts as heard from until the connect is done.
 */
class AgentStreamAnswersTest {
  @TempDir Path dir;

  @Test
  void aConnectIsAcceptedAtOnceAndItsNodeStaysReadyWhileItCommits() throws Exception {
    try (InMemoryCoreBackend real = new InMemoryCoreBackend(dir, 100)) {
      ScriptedBackend backend = new ScriptedBackend(real);
      backend.clock = Clock.systemUTC(); // liveness needs time to pass
      SchedulerLoop loop = leading(backend, Duration.ofMillis(50), Duration.ofMillis(400));
      AgentGateway gateway = new AgentGateway(() -> backend, loop);
      try {
        connected(gateway).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> nodeState(real) == NodeState.NODE_READY);

        // Back with another capacity: its registration must commit, and is held here.
        CompletableFuture<CommandResult> registration = new CompletableFuture<>();
        AtomicReference<Command> held = new AtomicReference<>();
        backend.submit = c -> {
          if (c.hasRegisterNode()) {
            held.set(c);
            return registration;
          }
          return real.submit(c);
        };
        EmbeddedChannel second = new EmbeddedChannel();
        CompletableFuture<Response> connect = gateway.connect(7,
            AgentConnectRequest.newBuilder().setNode(node(2)).build(), second);
        Response accepted = second.readOutbound();
        assertEquals(7, accepted.getId(), "accepted on the stream at once");
        assertFalse(accepted.hasAssignment());
        assertEquals(ErrorCode.OK, accepted.getError().getCode());
        assertFalse(connect.isDone());
        // Silent for far longer than nodeNotReadyAfter (400 ms) while its connect is pending.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
            .until(() -> nodeState(real) == NodeState.NODE_READY);

        backend.submit = real::submit;
        real.submit(held.get()).thenAccept(registration::complete);
        connect.get(10, TimeUnit.SECONDS);
        second.runPendingTasks();
        Response assigned = await().atMost(Duration.ofSeconds(10)).until(() -> {
          second.runPendingTasks();
          return second.readOutbound();
        }, r -> r != null);
        assertTrue(assigned.hasAssignment(), "then assigned");
      } finally {
        loop.close();
        gateway.close();
      }
    }
  }

  /** A stream on which node n1 (1 cpu) has connected, its connect done. */
  private static EmbeddedChannel connected(AgentGateway gateway) throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel();
    gateway.connect(1, AgentConnectRequest.newBuilder().setNode(node(1)).build(), channel)
        .get(10, TimeUnit.SECONDS);
    return channel;
  }

  /** A scheduler loop leading in term 1 (the gateway acts only on a leading replica). */
  private static SchedulerLoop leading(ScriptedBackend backend, Duration tick,
      Duration notReadyAfter) {
    SchedulerLoop loop = new SchedulerLoop(() -> backend, new Scheduler(SchedulerConfig.DEFAULT),
        tick, notReadyAfter, Duration.ofMinutes(2), new Collector(Duration.ofMinutes(10), 1000,
        100));
    loop.onLeaderReady(1);
    return loop;
  }

  private static Node node(int cpus) {
    return Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n1"))
        .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setSimulated(true)
            .setCapacity(Capacity.newBuilder().setCpuMillis(1000 * cpus).setMemoryBytes(1L << 30)
                .setMaxInstances(1)))
        .build();
  }

  private static NodeState nodeState(InMemoryCoreBackend real) {
    Node n = real.state().get(io.fornax.core.state.Table.NODES, "n1");
    return n == null ? NodeState.NODE_STATE_UNSPECIFIED : n.getStatus().getState();
  }

  @Test
  void aReportIsAnsweredBeforeItsCommitAndAFailedOneClosesTheStream() throws Exception {
    try (InMemoryCoreBackend real = new InMemoryCoreBackend(dir, 100)) {
      ScriptedBackend backend = new ScriptedBackend(real);
      SchedulerLoop loop = leading(backend, Duration.ofMinutes(10), Duration.ofMinutes(1));
      AgentGateway gateway = new AgentGateway(() -> backend, loop);
      try {
        EmbeddedChannel stream = connected(gateway);
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
