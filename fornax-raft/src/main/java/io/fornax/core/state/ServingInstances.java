package io.fornax.core.state;

import com.google.protobuf.Message;
import io.fornax.api.Nullable;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A derived index of the applied state: per application, the keys of its instances that can take
 * a session right now, READY ones (idle) apart from ALLOCATED ones (already serving, useful when
 * sessions share an instance). It lets an open find an idle instance without scanning every
 * instance. Membership depends on the instance record alone, so the index is a pure function of
 * the published state: rebuilt identically on every replica, after a restart or a snapshot.
 * Written and read only on the apply thread (like {@link ResourceState#tableForApply}).
 */
public final class ServingInstances {
  private final Map<String, TreeSet<String>> ready = new HashMap<>();
  private final Map<String, TreeSet<String>> allocated = new HashMap<>();

  /** READY instance keys of {@code tenant/app}, in key order; a read-only view. */
  public NavigableSet<String> ready(String tenant, String app) {
    return view(ready.get(appKey(tenant, app)));
  }

  /** ALLOCATED instance keys of {@code tenant/app}, in key order; a read-only view. */
  public NavigableSet<String> allocated(String tenant, String app) {
    return view(allocated.get(appKey(tenant, app)));
  }

  /**
   * Up to {@code max} keys of instances of {@code tenant/app} that can take a session now, in the
   * order an open tries them: with {@code shared} instances ALLOCATED ones first (filling those
   * that already serve), then READY ones, each in key order. A copy.
   */
  public List<String> candidates(String tenant, String app, boolean shared, int max) {
    List<String> out = new ArrayList<>();
    if (shared) {
      addUpTo(out, allocated(tenant, app), max);
    }
    addUpTo(out, ready(tenant, app), max);
    return out;
  }

  private static void addUpTo(List<String> out, Collection<String> keys, int max) {
    for (String k : keys) {
      if (out.size() >= max) {
        return;
      }
      out.add(k);
    }
  }

  /** Applies one change of the INSTANCES table. */
  void update(String key, @Nullable Message previous, @Nullable Message value) {
    if (previous instanceof Instance before) {
      remove(ready, before, key);
      remove(allocated, before, key);
    }
    if (value instanceof Instance after) {
      if (after.getState() == InstanceState.INSTANCE_READY) {
        ready.computeIfAbsent(appKey(after), k -> new TreeSet<>()).add(key);
      } else if (after.getState() == InstanceState.INSTANCE_ALLOCATED) {
        allocated.computeIfAbsent(appKey(after), k -> new TreeSet<>()).add(key);
      }
    }
  }

  private static void remove(Map<String, TreeSet<String>> index, Instance i, String key) {
    String app = appKey(i);
    TreeSet<String> keys = index.get(app);
    if (keys != null && keys.remove(key) && keys.isEmpty()) {
      index.remove(app);
    }
  }

  private static NavigableSet<String> view(@Nullable TreeSet<String> keys) {
    return keys == null ? Collections.emptyNavigableSet() : Collections.unmodifiableNavigableSet(keys);
  }

  private static String appKey(Instance i) {
    return appKey(i.getMeta().getTenant(), i.getApplication());
  }

  private static String appKey(String tenant, String app) {
    return tenant + "/" + app;
  }
}
