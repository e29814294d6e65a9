package io.fornax.scheduler;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.PlanCmd;
import io.fornax.scheduler.placement.NodeUsage;
import io.fornax.scheduler.placement.Placer;
import io.fornax.scheduler.scaling.AppStep;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The scheduler: a pure function from a cluster snapshot, a clock and a seed to a plan. No Raft,
 * no I/O; the same inputs give the same plan, so a decision can be replayed.
 */
public final class Scheduler {
  private final SchedulerConfig config;

  public Scheduler(SchedulerConfig config) {
    this.config = config;
  }

  public PlanCmd schedule(ClusterSnapshot snapshot, Clock clock, long seed) {
    long now = clock.millis();
    PlanCmd.Builder plan = PlanCmd.newBuilder().setSnapshotRevision(snapshot.revision()).setSeed(seed);
    Placer placer = new Placer(snapshot.nodes(),
        n -> new NodeUsage(n, snapshot.instancesOn(n.getMeta().getName())), seed, config.scorer(),
        config.scoreLimit());
    Supplier<String> names = instanceNames(seed);
    List<Application> apps = snapshot.applications().stream()
        .sorted(Comparator.comparing((Application a) -> a.getMeta().getTenant())
            .thenComparing(a -> a.getMeta().getName()))
        .toList();
    for (Application app : apps) {
      new AppStep(app, snapshot, placer, plan, now, names).run();
    }
    return plan.build();
  }

  /** Instance names from the seed: "i-" and 12 hex digits, the same for the same seed. */
  static Supplier<String> instanceNames(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    return () -> String.format("i-%012x", rnd.nextLong() & 0xFFFF_FFFF_FFFFL);
  }
}
