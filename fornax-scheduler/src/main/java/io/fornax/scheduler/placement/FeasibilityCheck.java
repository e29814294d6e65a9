package io.fornax.scheduler.placement;

import io.fornax.api.proto.Application;

/** One yes/no question about a node, with the reason counted when the answer is no. */
public interface FeasibilityCheck {
  boolean feasible(NodeUsage node, Application app);

  /** How a rejection reads in "0/40 nodes: 31 memory exhausted, 9 not ready". */
  String reason();
}
