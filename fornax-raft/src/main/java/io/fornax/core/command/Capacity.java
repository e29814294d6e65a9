package io.fornax.core.command;

import io.fornax.api.proto.Instance;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.ResourceSpec;
import io.fornax.core.state.Table;
import java.util.HashMap;
import java.util.Map;

/**
 * Capacity re-checks while one plan is applied: the state machine never over-commits a node.
 * Usage is summed once per plan (one pass over the instances) and then kept up to date.
 */
final class Capacity {
  private final Map<String, long[]> byNode = new HashMap<>();
  private final Map<String, Integer> byApp = new HashMap<>();

  Capacity(ApplyContext ctx) {
    for (Instance i : ctx.txn().<Instance>list(Table.INSTANCES, "")) {
      if (!Instances.isFinished(i)) {
        add(i.getNode(), i.getMeta().getTenant() + "/" + i.getApplication(), i.getResources());
      }
    }
  }

  boolean fits(Node node, ResourceSpec want) {
    long[] used = byNode.getOrDefault(node.getMeta().getName(), new long[3]);
    var cap = node.getSpec().getCapacity();
    return used[0] + want.getCpuMillis() <= cap.getCpuMillis()
        && used[1] + want.getMemoryBytes() <= cap.getMemoryBytes()
        && used[2] + 1 <= cap.getMaxInstances();
  }

  int liveInstances(String tenant, String app) {
    return byApp.getOrDefault(tenant + "/" + app, 0);
  }

  void add(String node, String appKey, ResourceSpec r) {
    long[] used = byNode.computeIfAbsent(node, n -> new long[3]);
    used[0] += r.getCpuMillis();
    used[1] += r.getMemoryBytes();
    used[2]++;
    byApp.merge(appKey, 1, Integer::sum);
  }
}
