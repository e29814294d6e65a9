package io.fornax.core.state;

import com.google.protobuf.Message;
import io.fornax.api.Nullable;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Session;
import io.fornax.scheduler.ClusterSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A derived index of the applied state by lifecycle: what a scheduling step looks at (sessions
 * still to settle, the number of settled ones per instance, live instances) and finished records
 * oldest first, which collection removes. Without it every step copied every session kept (up
 * to {@code maxFinished} finished ones beside the open, and every open one: 100,000 held), and
 * collection sorted all the finished ones each second. Settled sessions are AVAILABLE, IN_USE or
 * CLOSING on an instance: a step only counts them there. Like {@link ServingInstances}
 * it depends on the published records alone; the apply thread keeps it up to date under the
 * state's write lock, and readers use it under the read lock ({@link ResourceState#readLive}).
 */
public final class Lifecycle {
  private final TreeMap<String, Session> unsettledSessions = new TreeMap<>();
  private final HashMap<String, Integer> settledByInstance = new HashMap<>();
  private final TreeMap<String, Instance> liveInstances = new TreeMap<>();
  private final TreeMap<Aged, Session> finishedSessions = new TreeMap<>();
  private final TreeMap<Aged, Instance> finishedInstances = new TreeMap<>();

  /** Open sessions that are not settled (PENDING, STARTING), in key order; a read-only view. */
  public Collection<Session> unsettledSessions() {
    return Collections.unmodifiableCollection(unsettledSessions.values());
  }

  /**
   * Settled sessions per instance, keyed by {@code ClusterSnapshot.instanceKey(tenant, instance)};
   * a copy.
   */
  public Map<String, Integer> settledByInstance() {
    return new HashMap<>(settledByInstance);
  }

  /** Instances not TERMINATING, TERMINATED or FAILED, in key order; a read-only view. */
  public Collection<Instance> liveInstances() {
    return Collections.unmodifiableCollection(liveInstances.values());
  }

  /** Up to {@code max} finished sessions, the earliest closed first (then by key). */
  public List<Session> oldestFinishedSessions(int max) {
    return first(finishedSessions.values(), max);
  }

  public int finishedSessionCount() {
    return finishedSessions.size();
  }

  /** Up to {@code max} TERMINATED or FAILED instances, the least recently updated first. */
  public List<Instance> oldestFinishedInstances(int max) {
    return first(finishedInstances.values(), max);
  }

  public int finishedInstanceCount() {
    return finishedInstances.size();
  }

  /** Applies one change of {@code table}: {@code previous} was its value, {@code value} is. */
  void update(Table table, String key, @Nullable Message previous, @Nullable Message value) {
    if (table == Table.SESSIONS) {
      if (previous instanceof Session before) {
        if (!ClusterSnapshot.isOpen(before)) {
          finishedSessions.remove(aged(key, before));
        } else if (ClusterSnapshot.isSettled(before)) {
          settledByInstance.computeIfPresent(instanceKey(before), (k, n) -> n == 1 ? null : n - 1);
        } else {
          unsettledSessions.remove(key);
        }
      }
      if (value instanceof Session after) {
        if (!ClusterSnapshot.isOpen(after)) {
          finishedSessions.put(aged(key, after), after);
        } else if (ClusterSnapshot.isSettled(after)) {
          settledByInstance.merge(instanceKey(after), 1, Integer::sum);
        } else {
          unsettledSessions.put(key, after);
        }
      }
    } else if (table == Table.INSTANCES) {
      if (previous instanceof Instance before) {
        liveInstances.remove(key);
        finishedInstances.remove(aged(key, before));
      }
      if (value instanceof Instance after) {
        if (ClusterSnapshot.isLive(after)) {
          liveInstances.put(key, after);
        } else if (after.getState() != InstanceState.INSTANCE_TERMINATING) {
          finishedInstances.put(aged(key, after), after); // TERMINATED or FAILED
        }
      }
    }
  }

  private static String instanceKey(Session s) {
    return ClusterSnapshot.instanceKey(s.getMeta().getTenant(), s.getStatus().getInstance());
  }

  private static Aged aged(String key, Session s) {
    return new Aged(s.getStatus().getClosedAtMs(), key);
  }

  private static Aged aged(String key, Instance i) {
    return new Aged(i.getMeta().getUpdatedAtMs(), key);
  }

  private static <T> List<T> first(Collection<T> values, int max) {
    List<T> out = new ArrayList<>(Math.min(max, values.size()));
    for (T v : values) {
      if (out.size() >= max) {
        break;
      }
      out.add(v);
    }
    return out;
  }

  /** Orders finished records by when they finished, then by key. */
  private record Aged(long atMs, String key) implements Comparable<Aged> {
    @Override
    public int compareTo(Aged o) {
      int c = Long.compare(atMs, o.atMs);
      return c != 0 ? c : key.compareTo(o.key);
    }
  }
}
