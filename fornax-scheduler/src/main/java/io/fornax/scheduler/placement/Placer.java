package io.fornax.scheduler.placement;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Places instances on nodes: seeded node order → feasibility checks → score at most
 * {@code scoreLimit} feasible nodes → best score wins. Walking on from where the last placement
 * stopped keeps each placement cheap on thousands of nodes and spreads ties; the seed makes a
 * plan replayable. Usage is updated as placements are made, so one plan never over-commits.
 */
public final class Placer {
  private final List<NodeUsage> order;
  private final List<FeasibilityCheck> checks;
  private final Scorer scorer;
  private final int scoreLimit;
  private int cursor;

  public Placer(List<Node> nodes, Function<Node, NodeUsage> usage, long seed, Scorer scorer,
      int scoreLimit) {
    this.order = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      order.add(usage.apply(n));
    }
    shuffle(order, new SplittableRandom(seed));
    this.checks = Checks.ALL;
    this.scorer = scorer;
    this.scoreLimit = Math.max(1, scoreLimit);
  }

  private static void shuffle(List<NodeUsage> list, SplittableRandom rnd) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      NodeUsage t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  /** Finds a node for one instance of {@code app} and books its resources there. */
  public Result place(Application app) {
    int n = order.size();
    NodeUsage best = null;
    int bestIndex = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    int feasible = 0;
    Map<String, Integer> rejected = new LinkedHashMap<>();
    for (int seen = 0; seen < n && feasible < scoreLimit; seen++) {
      int index = (cursor + seen) % n;
      NodeUsage node = order.get(index);
      FeasibilityCheck failed = firstFailure(node, app);
      if (failed != null) {
        rejected.merge(failed.reason(), 1, Integer::sum);
        continue;
      }
      feasible++;
      double s = scorer.score(node, app);
      if (s > bestScore) {
        best = node;
        bestIndex = index;
        bestScore = s;
      }
    }
    if (best == null) {
      return Result.failed(describe(n, rejected));
    }
    cursor = (bestIndex + 1) % n;
    best.add(app.getSpec().getResources());
    return Result.placed(best.node().getMeta().getName());
  }

  private FeasibilityCheck firstFailure(NodeUsage node, Application app) {
    for (FeasibilityCheck c : checks) {
      if (!c.feasible(node, app)) {
        return c;
      }
    }
    return null;
  }

  /** "0/40 nodes: 31 memory exhausted, 9 not ready": most common first, ties by name. */
  static String describe(int total, Map<String, Integer> rejected) {
    if (total == 0) {
      return "0/0 nodes: no nodes registered";
    }
    StringBuilder sb = new StringBuilder("0/").append(total).append(" nodes: ");
    rejected.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
            .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> sb.append(e.getValue()).append(' ').append(e.getKey()).append(", "));
    sb.setLength(sb.length() - 2);
    return sb.toString();
  }

  /** A node name, or why no node fits. */
  public record Result(String node, String reason) {
    static Result placed(String node) {
      return new Result(node, null);
    }

    static Result failed(String reason) {
      return new Result(null, reason);
    }

    public boolean ok() {
      return node != null;
    }
  }
}
