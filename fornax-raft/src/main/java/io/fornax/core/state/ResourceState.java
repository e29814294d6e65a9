package io.fornax.core.state;

import com.google.protobuf.Message;
import io.fornax.api.Nullable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The applied state of one replica, in memory. RocksDB is its durable copy; this is what reads,
 * the scheduler and the applier look at. Writers (the single apply thread) publish whole Raft
 * entries under the write lock, so a reader never sees half an entry.
 */
public final class ResourceState {
  private final EnumMap<Table, TreeMap<String, Message>> tables = new EnumMap<>(Table.class);
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile ServingInstances serving = new ServingInstances();
  private Lifecycle lifecycle = new Lifecycle();
  private long appliedTerm;
  private long appliedIndex;

  public ResourceState() {
    for (Table t : Table.values()) {
      tables.put(t, new TreeMap<>());
    }
  }

  /** Loads a value at start-up or restore; not for use once apply has begun. */
  void load(Table table, String key, Message value) {
    Message previous = tables.get(table).put(key, value);
    if (table == Table.INSTANCES) {
      serving.update(key, previous, value);
    }
    lifecycle.update(table, key, previous, value);
  }

  void loadApplied(long term, long index) {
    this.appliedTerm = term;
    this.appliedIndex = index;
  }

  /** Publishes the changes of one applied entry. */
  public void publish(List<Change> changes, long term, long index) {
    lock.writeLock().lock();
    try {
      for (Change c : changes) {
        Message previous = c.isDelete() ? tables.get(c.table()).remove(c.key())
            : tables.get(c.table()).put(c.key(), c.value());
        if (c.table() == Table.INSTANCES) {
          serving.update(c.key(), previous, c.value());
        }
        lifecycle.update(c.table(), c.key(), previous, c.value());
      }
      appliedTerm = term;
      appliedIndex = index;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Replaces everything, e.g. after a snapshot was installed. */
  public void replaceWith(ResourceState other) {
    lock.writeLock().lock();
    try {
      for (Table t : Table.values()) {
        tables.put(t, other.tables.get(t));
      }
      serving = other.serving;
      lifecycle = other.lifecycle;
      appliedTerm = other.appliedTerm;
      appliedIndex = other.appliedIndex;
    } finally {
      lock.writeLock().unlock();
    }
  }

  public long appliedIndex() {
    lock.readLock().lock();
    try {
      return appliedIndex;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** For code already inside {@link #read}: the applied index without taking the lock again. */
  public long appliedIndexUnlocked() {
    return appliedIndex;
  }

  public long appliedTerm() {
    lock.readLock().lock();
    try {
      return appliedTerm;
    } finally {
      lock.readLock().unlock();
    }
  }

  @SuppressWarnings("unchecked")
  public <T extends Message> @Nullable T get(Table table, String key) {
    lock.readLock().lock();
    try {
      return (T) tables.get(table).get(key);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Values whose key starts with {@code prefix} ("" for all), in key order. */
  @SuppressWarnings("unchecked")
  public <T extends Message> List<T> list(Table table, String prefix) {
    lock.readLock().lock();
    try {
      return new ArrayList<>((java.util.Collection<T>) range(tables.get(table), prefix).values());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code reader} against a consistent view of every table; it must not block. */
  public <R> R read(Function<Map<Table, NavigableMap<String, Message>>, R> reader) {
    return readLive((tables, lifecycle) -> reader.apply(tables));
  }

  /**
   * Like {@link #read}, with the {@link Lifecycle} index as of the same entry (for the leader's
   * scheduling and collection: what is alive, and the oldest of what is finished).
   */
  public <R> R readLive(
      BiFunction<Map<Table, NavigableMap<String, Message>>, Lifecycle, R> reader) {
    lock.readLock().lock();
    try {
      return reader.apply(java.util.Collections.unmodifiableMap(new EnumMap<>(tables)), lifecycle);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** {@link ServingInstances#candidates}, for readers off the apply thread (the leader). */
  public List<String> servingKeys(String tenant, String app, boolean shared, int max) {
    lock.readLock().lock();
    try {
      return serving.candidates(tenant, app, shared, max);
    } finally {
      lock.readLock().unlock();
    }
  }

  static NavigableMap<String, Message> range(NavigableMap<String, Message> map, String prefix) {
    if (prefix.isEmpty()) {
      return map;
    }
    return map.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
  }

  /** The serving-instances index, for the apply thread (it reflects published entries only). */
  ServingInstances servingForApply() {
    return serving;
  }

  /** Unlocked access for the apply thread, which is the only writer. */
  NavigableMap<String, Message> tableForApply(Table table) {
    return tables.get(table);
  }
}
