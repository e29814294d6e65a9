package io.fornax.agent.stream;

import static org.awaitility.Awaitility.await;

import io.fornax.agent.TestCoresAccess;
import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frozen replica accepts connections (the kernel does) and never answers. A node whose first
 * core address is such a replica must still reach the leader well within the leader's node-down
 * timeout (10 s by default).
 */
class AgentStreamFrozenReplicaTest {
  @TempDir Path tmp;

  @Test
  void movesOnFromAReplicaThatNeverAnswers() throws Exception {
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    try (TestCoresAccess cores = new TestCoresAccess(tmp);
        ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<String> addresses = new ArrayList<>();
      addresses.add("127.0.0.1:" + frozen.getLocalPort());
      addresses.addAll(cores.apis());
      Node node = Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n1"))
          .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setSimulated(true)
              .setCapacity(Capacity.newBuilder().setCpuMillis(1000).setMemoryBytes(1L << 30)
                  .setMaxInstances(1)))
          .build();
      AgentStream stream = new AgentStream("n1", addresses, cores.admin(),
          () -> AgentConnectRequest.newBuilder().setNode(node).build(), a -> { }, loop::execute, null);
      loop.scheduleWithFixedDelay(stream::tick, 0, 100, TimeUnit.MILLISECONDS);
      await("connected past the frozen replica").atMost(Duration.ofSeconds(8))
          .until(() -> loop.submit(stream::connected).get());
      loop.submit(stream::close).get();
    } finally {
      loop.shutdownNow();
    }
  }
}
