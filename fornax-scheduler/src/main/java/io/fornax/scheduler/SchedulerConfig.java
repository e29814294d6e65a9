package io.fornax.scheduler;

import io.fornax.scheduler.placement.Scorer;

/**
 * @param scorer bin-pack (default) or spread
 * @param scoreLimit feasible nodes scored per placement before the best is taken
 */
public record SchedulerConfig(Scorer scorer, int scoreLimit) {
  public static final SchedulerConfig DEFAULT = new SchedulerConfig(Scorer.BINPACK, 4);
}
