package io.fornax.core.state;

import com.google.protobuf.Message;
import io.fornax.api.Nullable;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * A derived index of the applied state by lifecycle: open sessions and live instances, which a
 * scheduling step looks at, and finished ones oldest first, which collection removes. Without
 * it every step copied every session kept (up to {@code maxFinished} finished ones beside the
 * open), and collection sorted all the finished ones each second. Like {@link ServingInstances}
 * it depends on the published records alone; the apply thread keeps it up to date under the
 * state's write lock, and readers use it under the read lock ({@link ResourceState#readLive}).
 */
public final class Lifecycle {
  private final TreeMap<String, Session> openSessions = new TreeMap<>();
  private final TreeMap<String, Instance> liveInstances = new TreeMap<>();
  private final TreeMap<Aged, Session> finishedSessions = new TreeMap<>();
  private final TreeMap<Aged, Instance> finishedInstances = new TreeMap<>();

  /** Sessions not CLOSED, TIMEOUT or LOST, in key order; a read-only view. */
  public Collection<Session> openSessions() {
    return Collections.unmodifiableCollection(openSessions.values());
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
        openSessions.remove(key);
        finishedSessions.remove(aged(key, before));
      }
      if (value instanceof Session after) {
        if (isFinished(after)) {
          finishedSessions.put(aged(key, after), after);
        } else {
          openSessions.put(key, after);
        }
      }
    } else if (table == Table.INSTANCES) {
      if (previous instanceof Instance before) {
        liveInstances.remove(key);
        finishedInstances.remove(aged(key, before));
      }
      if (value instanceof Instance after) {
        InstanceState st = after.getState();
        if (st == InstanceState.INSTANCE_TERMINATED || st == InstanceState.INSTANCE_FAILED) {
          finishedInstances.put(aged(key, after), after);
        } else if (st != InstanceState.INSTANCE_TERMINATING) {
          liveInstances.put(key, after);
        }
      }
    }
  }

  static boolean isFinished(Session s) {
    SessionState st = s.getStatus().getState();
    return st == SessionState.SESSION_CLOSED || st == SessionState.SESSION_TIMEOUT
        || st == SessionState.SESSION_LOST;
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
