package io.fornax.agent.runtime;

import io.fornax.api.Nullable;

/**
 * The outcome of {@link InstanceRuntime#adopt}: the instance taken over, or why it could not be.
 *
 * @param instance null if it could not be taken over (and was cleaned up)
 */
public record Adoption(@Nullable RunningInstance instance, String reason) {
  public static Adoption adopted(RunningInstance i) {
    return new Adoption(i, "");
  }

  public static Adoption gone(String reason) {
    return new Adoption(null, reason);
  }
}
