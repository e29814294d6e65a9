package io.fornax.core.state;

import com.google.protobuf.Message;
import io.fornax.api.Nullable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The writes of one command, staged over the applied state: reads see staged writes first. A
 * child transaction lets one command of a batch fail without undoing the others.
 */
public final class StateTxn {
  private static final Message TOMBSTONE = com.google.protobuf.Empty.getDefaultInstance();

  private final ResourceState base;
  private final @Nullable StateTxn parent;
  private final EnumMap<Table, TreeMap<String, Message>> staged = new EnumMap<>(Table.class);
  private final LinkedHashMap<ChangeKey, Change> changes = new LinkedHashMap<>();

  public StateTxn(ResourceState base) {
    this(base, null);
  }

  private StateTxn(ResourceState base, @Nullable StateTxn parent) {
    this.base = base;
    this.parent = parent;
  }

  public StateTxn child() {
    return new StateTxn(base, this);
  }

  @SuppressWarnings("unchecked")
  public <T extends Message> Optional<T> get(Table table, String key) {
    Message v = lookup(table, key);
    return v == TOMBSTONE ? Optional.empty() : Optional.ofNullable((T) v);
  }

  private @Nullable Message lookup(Table table, String key) {
    TreeMap<String, Message> mine = staged.get(table);
    Message v = mine != null ? mine.get(key) : null; // staged values are never null
    if (v != null) {
      return v;
    }
    return parent != null ? parent.lookup(table, key) : base.tableForApply(table).get(key);
  }

  /**
   * Instances able to take a session, per application, as of the last published entry: writes
   * staged in this transaction are not in it, so callers re-read each key with {@link #get}.
   */
  public ServingInstances serving() {
    return base.servingForApply();
  }

  public void put(Table table, String key, Message value) {
    stage(table, key, value);
  }

  public void delete(Table table, String key) {
    stage(table, key, TOMBSTONE);
  }

  private void stage(Table table, String key, Message value) {
    Message previous = lookup(table, key);
    record(table, key, value, previous == TOMBSTONE ? null : previous);
  }

  /** Stages a write whose value before this transaction is already known to be {@code previous}. */
  private void record(Table table, String key, Message value, @Nullable Message previous) {
    staged.computeIfAbsent(table, t -> new TreeMap<>()).put(key, value);
    ChangeKey id = new ChangeKey(table, key);
    Change earlier = changes.remove(id);
    Message before = earlier != null ? earlier.previous() : previous;
    changes.put(id, new Change(table, key, value == TOMBSTONE ? null : value, before));
  }

  /** Values whose key starts with {@code prefix}, staged writes included, in key order. */
  @SuppressWarnings("unchecked")
  public <T extends Message> List<T> list(Table table, String prefix) {
    NavigableMap<String, Message> merged = new TreeMap<>(view(table, prefix));
    List<T> out = new ArrayList<>(merged.size());
    for (Message m : merged.values()) {
      if (m != TOMBSTONE) {
        out.add((T) m);
      }
    }
    return out;
  }

  private NavigableMap<String, Message> view(Table table, String prefix) {
    NavigableMap<String, Message> below = parent != null
        ? parent.view(table, prefix)
        : ResourceState.range(base.tableForApply(table), prefix);
    TreeMap<String, Message> mine = staged.get(table);
    if (mine == null) {
      return below;
    }
    TreeMap<String, Message> merged = new TreeMap<>(below);
    merged.putAll(ResourceState.range(mine, prefix));
    return merged;
  }

  /**
   * Folds this child's writes into its parent. What a child saw before its first write to a key
   * is what the parent holds for it, so the parent needs no second look-up (in a batch that
   * would be one more search of the whole applied table per write).
   */
  public void commitToParent() {
    if (parent == null) {
      throw new IllegalStateException("not a child transaction");
    }
    for (Change c : changes.values()) {
      parent.record(c.table(), c.key(), c.isDelete() ? TOMBSTONE : c.value(), c.previous());
    }
  }

  /** The net writes, in the order they were first made. */
  public List<Change> changes() {
    return new ArrayList<>(changes.values());
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  Map<Table, TreeMap<String, Message>> stagedForTest() {
    return staged;
  }

  private record ChangeKey(Table table, String key) {}
}
