package io.fornax.scheduler.placement;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.NodeState;
import java.util.List;
import java.util.Map;

/** The feasibility checks, cheapest and most selective first. */
public final class Checks {
  private Checks() {}

  /** Node is READY and not cordoned: checked first, it is a field read and rules out most. */
  public static final FeasibilityCheck READY = new Simple("not ready",
      (n, a) -> n.node().getStatus().getState() == NodeState.NODE_READY
          && !n.node().getSpec().getUnschedulable());

  /** Label selector of the application: before capacity, so mismatches are reported as such. */
  public static final FeasibilityCheck SELECTOR = new Simple("labels do not match", Checks::labelsMatch);

  public static final FeasibilityCheck SLOTS = new Simple("instance slots full",
      (n, a) -> n.freeSlots() >= 1);

  public static final FeasibilityCheck CPU = new Simple("cpu exhausted",
      (n, a) -> n.freeCpuMillis() >= a.getSpec().getResources().getCpuMillis());

  public static final FeasibilityCheck MEMORY = new Simple("memory exhausted",
      (n, a) -> n.freeMemoryBytes() >= a.getSpec().getResources().getMemoryBytes());

  /** The pipeline in order. */
  public static final List<FeasibilityCheck> ALL = List.of(READY, SELECTOR, SLOTS, CPU, MEMORY);

  static boolean labelsMatch(NodeUsage n, Application a) {
    Map<String, String> labels = n.node().getMeta().getLabelsMap();
    for (Map.Entry<String, String> want : a.getSpec().getNodeSelectorMap().entrySet()) {
      if (!want.getValue().equals(labels.get(want.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private record Simple(String reason, java.util.function.BiPredicate<NodeUsage, Application> test)
      implements FeasibilityCheck {
    @Override
    public boolean feasible(NodeUsage node, Application app) {
      return test.test(node, app);
    }
  }
}
