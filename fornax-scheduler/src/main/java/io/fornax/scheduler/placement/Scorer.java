package io.fornax.scheduler.placement;

import io.fornax.api.proto.Application;

/** Ranks a feasible node; higher is better. */
public interface Scorer {
  double score(NodeUsage node, Application app);

  /**
   * Bin-packing: prefer the node that will be fullest after the placement, so whole nodes stay
   * free for big instances and idle nodes can be drained. Average of cpu, memory and slot use.
   */
  Scorer BINPACK = (n, a) -> utilisationAfter(n, a);

  /** Spread: prefer the emptiest node, so one node failing takes few instances with it. */
  Scorer SPREAD = (n, a) -> 1.0 - utilisationAfter(n, a);

  static double utilisationAfter(NodeUsage n, Application a) {
    var cap = n.node().getSpec().getCapacity();
    double cpu = (n.usedCpuMillis() + a.getSpec().getResources().getCpuMillis())
        / (double) Math.max(1, cap.getCpuMillis());
    double mem = (n.usedMemoryBytes() + a.getSpec().getResources().getMemoryBytes())
        / (double) Math.max(1, cap.getMemoryBytes());
    double slots = (n.usedSlots() + 1) / (double) Math.max(1, cap.getMaxInstances());
    return (cpu + mem + slots) / 3.0;
  }
}
