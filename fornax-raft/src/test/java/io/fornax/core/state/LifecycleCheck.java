package io.fornax.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Session;
import io.fornax.scheduler.ClusterSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Asserts that a state's {@link Lifecycle} index is what a scan of its tables gives. */
public final class LifecycleCheck {
  private LifecycleCheck() {}

  @SuppressWarnings("unchecked")
  public static void matchesTables(ResourceState state) {
    state.readLive((tables, lifecycle) -> {
      List<Session> unsettled = new ArrayList<>();
      Map<String, Integer> settled = new HashMap<>();
      List<Session> finished = new ArrayList<>();
      for (var m : tables.get(Table.SESSIONS).values()) {
        Session s = (Session) m;
        if (!ClusterSnapshot.isOpen(s)) {
          finished.add(s);
        } else if (ClusterSnapshot.isSettled(s)) {
          settled.merge(ClusterSnapshot.instanceKey(s.getMeta().getTenant(),
              s.getStatus().getInstance()), 1, Integer::sum);
        } else {
          unsettled.add(s);
        }
      }
      List<Instance> live = new ArrayList<>();
      List<Instance> done = new ArrayList<>();
      for (var m : tables.get(Table.INSTANCES).values()) {
        Instance i = (Instance) m;
        InstanceState st = i.getState();
        if (st == InstanceState.INSTANCE_TERMINATED || st == InstanceState.INSTANCE_FAILED) {
          done.add(i);
        } else if (st != InstanceState.INSTANCE_TERMINATING) {
          live.add(i);
        }
      }
      finished.sort(Comparator.comparingLong((Session s) -> s.getStatus().getClosedAtMs())
          .thenComparing(s -> Table.SESSIONS.key(s.getMeta().getTenant(), s.getMeta().getName())));
      done.sort(Comparator.comparingLong((Instance i) -> i.getMeta().getUpdatedAtMs())
          .thenComparing(i -> Table.INSTANCES.key(i.getMeta().getTenant(), i.getMeta().getName())));
      assertEquals(unsettled, List.copyOf(lifecycle.unsettledSessions()), "unsettled sessions");
      assertEquals(settled, lifecycle.settledByInstance(), "settled sessions per instance");
      assertEquals(live, List.copyOf(lifecycle.liveInstances()), "live instances");
      assertEquals(finished, lifecycle.oldestFinishedSessions(Integer.MAX_VALUE), "finished sessions");
      assertEquals(finished.size(), lifecycle.finishedSessionCount());
      assertEquals(done, lifecycle.oldestFinishedInstances(Integer.MAX_VALUE), "finished instances");
      assertEquals(done.size(), lifecycle.finishedInstanceCount());
      return null;
    });
  }
}
