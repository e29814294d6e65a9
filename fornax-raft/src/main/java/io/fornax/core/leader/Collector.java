package io.fornax.core.leader;

import io.fornax.api.proto.CollectCmd;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.ResourceRef;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Chooses the finished sessions and instances to remove: those finished longer ago than the
 * retention, and beyond that the oldest while more than {@code maxFinished} remain, at most
 * {@code batch} of each kind per command. Pure: the leader feeds it the applied state and the
 * time, and commits what it returns as one term-fenced command.
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

  CollectCmd collect(List<Session> sessions, List<Instance> instances, long nowMs) {
    List<Session> doneSessions = new ArrayList<>();
    for (Session s : sessions) {
      SessionState st = s.getStatus().getState();
      if (st == SessionState.SESSION_CLOSED || st == SessionState.SESSION_TIMEOUT
          || st == SessionState.SESSION_LOST) {
        doneSessions.add(s);
      }
    }
    List<Instance> doneInstances = new ArrayList<>();
    for (Instance i : instances) {
      if (i.getState() == InstanceState.INSTANCE_TERMINATED
          || i.getState() == InstanceState.INSTANCE_FAILED) {
        doneInstances.add(i);
      }
    }
    CollectCmd.Builder cmd = CollectCmd.newBuilder();
    for (Session s : due(doneSessions, s -> s.getStatus().getClosedAtMs(), nowMs)) {
      cmd.addSessions(ref(s.getMeta().getTenant(), s.getMeta().getName()));
    }
    for (Instance i : due(doneInstances, i -> i.getMeta().getUpdatedAtMs(), nowMs)) {
      cmd.addInstances(ref(i.getMeta().getTenant(), i.getMeta().getName()));
    }
    return cmd.build();
  }

  private <T> List<T> due(List<T> finished, ToLongFunction<T> finishedAt, long nowMs) {
    finished.sort(Comparator.comparingLong(finishedAt));
    int overBound = Math.max(0, finished.size() - maxFinished);
    List<T> out = new ArrayList<>();
    for (int k = 0; k < finished.size() && out.size() < batch; k++) {
      T t = finished.get(k);
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
