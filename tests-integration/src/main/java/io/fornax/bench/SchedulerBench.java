package io.fornax.bench;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.NodeStatus;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.ResourceSpec;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.SessionPolicy;
import io.fornax.scheduler.ClusterSnapshot;
import io.fornax.scheduler.Scheduler;
import io.fornax.scheduler.SchedulerConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The scheduler alone, one thread: placements per second on 1,000 and 5,000 nodes that already
 * run 100,000 instances. Each plan places up to {@code burst} instances for each of many
 * applications whose warm pools are empty; the figure is placements in plans / time in
 * {@code schedule()} (snapshot construction is timed separately).
 */
public final class SchedulerBench {
  private static final int EXISTING = 100_000;
  private static final int APPS = 2_000;
  private static final int POOL = 10;

  private SchedulerBench() {}

  public static void main(String[] args) {
    System.out.printf("%nScheduler benchmark: one thread, %d existing instances, %d cores, %s%n",
        EXISTING, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
    System.out.println("-".repeat(78));
    for (int nodes : new int[] {1_000, 5_000}) {
      run(nodes, 1); // warm-up
      run(nodes, 5);
    }
  }

  private static void run(int nodeCount, int rounds) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      nodes.add(Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("node-" + i))
          .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setSimulated(true)
              .setCapacity(Capacity.newBuilder().setCpuMillis(64_000).setMemoryBytes(256L << 30)
                  .setMaxInstances(EXISTING / nodeCount + 2 * APPS * POOL / nodeCount + 10)))
          .setStatus(NodeStatus.newBuilder().setState(NodeState.NODE_READY)).build());
    }
    List<Application> apps = new ArrayList<>();
    for (int a = 0; a < APPS; a++) {
      apps.add(Application.newBuilder()
          .setMeta(ObjectMeta.newBuilder().setTenant("bench").setName("app-" + a))
          .setSpec(ApplicationSpec.newBuilder()
              .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/cat"))
              .setResources(ResourceSpec.newBuilder().setCpuMillis(10).setMemoryBytes(16 << 20))
              .setScaling(ScalingPolicy.newBuilder().setMaxInstances(1_000).setBurst(POOL)
                  .setIdleSessionsLow(POOL).setIdleSessionsHigh(10 * POOL).setIdleTimeoutMs(3_600_000))
              .setSession(SessionPolicy.newBuilder().setSessionsPerInstance(1).setOpenTimeoutMs(10_000)))
          .build());
    }
    // Existing instances belong to an application outside the benchmark so they only use capacity.
    List<Instance> existing = new ArrayList<>(EXISTING);
    for (int i = 0; i < EXISTING; i++) {
      existing.add(Instance.newBuilder()
          .setMeta(ObjectMeta.newBuilder().setTenant("other").setName("i-" + i).setCreateRevision(i))
          .setApplication("busy").setNode("node-" + (i % nodeCount))
          .setState(InstanceState.INSTANCE_ALLOCATED)
          .setResources(ResourceSpec.newBuilder().setCpuMillis(10).setMemoryBytes(16 << 20))
          .build());
    }
    Scheduler scheduler = new Scheduler(SchedulerConfig.DEFAULT);
    long placements = 0;
    long scheduleNanos = 0;
    long snapshotNanos = 0;
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      ClusterSnapshot snap = ClusterSnapshot.of(1, nodes, apps, existing, List.of());
      long t1 = System.nanoTime();
      PlanCmd plan = scheduler.schedule(snap, Clock.systemUTC(), r);
      long t2 = System.nanoTime();
      placements += plan.getPlaceCount();
      snapshotNanos += t1 - t0;
      scheduleNanos += t2 - t1;
    }
    if (rounds > 1) {
      System.out.printf("%,6d nodes: %,9.0f placements/s  (%,d placements in %d plans; "
              + "snapshot build %.0f ms/plan)%n", nodeCount, placements / (scheduleNanos / 1e9),
          placements, rounds, snapshotNanos / 1e6 / rounds);
    }
  }
}
