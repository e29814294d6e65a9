package io.fornax.core.leader;

import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.PlanResult;

/**
 * Where a committed plan's assignments go: the agent connections (the agent stream is issue 4).
 * Called only after the plan is committed, so an agent is never told about a decision that a
 * failover could lose.
 */
public interface AssignmentSink {
  void committed(PlanCmd plan, PlanResult result);

  /** No agents connected yet: nothing to push to. */
  AssignmentSink NONE = (plan, result) -> { };
}
