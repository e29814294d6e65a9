package io.fornax.core.leader;

import io.fornax.api.proto.CollectCmd;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.ResourceRef;
import io.fornax.api.proto.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Chooses the finished sessions and instances to remove: those finished longer ago than the
 * retention, and beyond that the oldest while more than {@code maxFinished} remain, at most
 * {@code batch} of each kind per command. Pure: the leader feeds it the oldest finished records
 * of the applied state ({@link io.fornax.core.state.Lifecycle}, up to {@link #batch} of each
 * kind, oldest first) with how many there are, and the time, and commits what it returns as one
 * term-fenced command.
 */
public final class Collector {
  private final long retentionMs;
  private final int maxFinished;
  private final int batch;

  public Collector(Duration retention, int maxFinished, int batch) {
    this.retentionMs = retention.toMillis();
    this.maxFinished = maxFinished;
    this.batch = batch;
  }

  /** How many of the oldest finished records of each kind {@link #collect} needs to see. */
  int batch() {
    return batch;
  }

  /**
   * @param oldestSessions finished sessions, earliest closed first (at least the first
   *     {@link #batch} of them, or all)
   * @param finishedSessions how many finished sessions there are in all
   */
  CollectCmd collect(List<Session> oldestSessions, int finishedSessions,
      List<Instance> oldestInstances, int finishedInstances, long nowMs) {
    CollectCmd.Builder cmd = CollectCmd.newBuilder();
    for (Session s : due(oldestSessions, finishedSessions, s -> s.getStatus().getClosedAtMs(),
        nowMs)) {
      cmd.addSessions(ref(s.getMeta().getTenant(), s.getMeta().getName()));
    }
    for (Instance i : due(oldestInstances, finishedInstances, i -> i.getMeta().getUpdatedAtMs(),
        nowMs)) {
      cmd.addInstances(ref(i.getMeta().getTenant(), i.getMeta().getName()));
    }
    return cmd.build();
  }

  private <T> List<T> due(List<T> oldestFirst, int total, ToLongFunction<T> finishedAt,
      long nowMs) {
    int overBound = Math.max(0, total - maxFinished);
    List<T> out = new ArrayList<>();
    for (int k = 0; k < oldestFirst.size() && out.size() < batch; k++) {
      T t = oldestFirst.get(k);
      if (k < overBound || nowMs - finishedAt.applyAsLong(t) >= retentionMs) {
        out.add(t);
      } else {
        break; // sorted oldest first: the rest are younger and within the bound
      }
    }
    return out;
  }

  private static ResourceRef ref(String tenant, String name) {
    return ResourceRef.newBuilder().setTenant(tenant).setName(name).build();
  }
}
