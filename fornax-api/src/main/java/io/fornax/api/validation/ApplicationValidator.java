package io.fornax.api.validation;

import static io.fornax.api.validation.Require.atMost;
import static io.fornax.api.validation.Require.require;
import static io.fornax.api.validation.Require.requireAtMost;
import static io.fornax.api.validation.Require.u32;
import static io.fornax.api.validation.Require.u64;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.ResourceSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.SessionPolicy;

/** An application manifest, checked after {@link Defaults} filled the fields left at zero. */
final class ApplicationValidator {
  private ApplicationValidator() {}

  static void validate(Application app) {
    ObjectMeta meta = app.getMeta();
    MetaValidator.name("metadata.name", meta.getName());
    MetaValidator.optionalName("metadata.tenant", meta.getTenant());
    MetaValidator.labels("metadata.labels", meta.getLabelsMap());
    ApplicationSpec spec = app.getSpec();
    RuntimeValidator.runtime(spec.getRuntime());
    RuntimeValidator.ports(spec.getPortsList());
    resources(spec.getResources());
    scaling(spec.getScaling());
    session(spec.getSession());
    MetaValidator.labels("spec.nodeSelector", spec.getNodeSelectorMap());
  }

  private static void resources(ResourceSpec r) {
    long cpu = u32(r.getCpuMillis());
    require(cpu <= Limits.MAX_CPU_MILLIS, "spec.resources.cpu must be <= %d millicores (got %d)",
        Limits.MAX_CPU_MILLIS, cpu);
    require(atMost(r.getMemoryBytes(), Limits.MAX_MEMORY_BYTES),
        "spec.resources.memory must be <= %d bytes (1 TiB) (got %s)", Limits.MAX_MEMORY_BYTES,
        u64(r.getMemoryBytes()));
  }

  private static void scaling(ScalingPolicy s) {
    long min = u32(s.getMinInstances());
    long max = u32(s.getMaxInstances());
    long low = u32(s.getIdleSessionsLow());
    long high = u32(s.getIdleSessionsHigh());
    long burst = u32(s.getBurst());
    require(min <= Limits.MAX_INSTANCES, "spec.scaling.minInstances must be <= %d (got %d)",
        Limits.MAX_INSTANCES, min);
    require(max >= min, "spec.scaling.maxInstances must be >= minInstances (got %d < %d)", max, min);
    require(max >= 1, "spec.scaling.maxInstances must be >= 1 (got %d)", max);
    require(max <= Limits.MAX_INSTANCES, "spec.scaling.maxInstances must be <= %d (got %d)",
        Limits.MAX_INSTANCES, max);
    require(high >= low, "spec.scaling.idleSessionsHigh must be >= idleSessionsLow (got %d < %d)",
        high, low);
    require(low <= max, "spec.scaling.idleSessionsLow must be <= maxInstances (got %d > %d)", low,
        max);
    require(high <= Limits.MAX_INSTANCES, "spec.scaling.idleSessionsHigh must be <= %d (got %d)",
        Limits.MAX_INSTANCES, high);
    require(burst >= 1, "spec.scaling.burst must be >= 1 (got %d)", burst);
    require(burst <= Limits.MAX_INSTANCES, "spec.scaling.burst must be <= %d (got %d)",
        Limits.MAX_INSTANCES, burst);
    requireAtMost("spec.scaling.idleTimeout", s.getIdleTimeoutMs(), Limits.MAX_IDLE_TIMEOUT);
  }

  private static void session(SessionPolicy s) {
    long perInstance = u32(s.getSessionsPerInstance());
    require(perInstance >= 1 && perInstance <= Limits.MAX_SESSIONS_PER_INSTANCE,
        "spec.session.sessionsPerInstance must be 1..%d (got %d)",
        Limits.MAX_SESSIONS_PER_INSTANCE, perInstance);
    require(s.getOpenTimeoutMs() != 0, "spec.session.openTimeout must be > 0 (got 0 ms)");
    requireAtMost("spec.session.openTimeout", s.getOpenTimeoutMs(), Limits.MAX_OPEN_TIMEOUT);
    requireAtMost("spec.session.closeGracePeriod", s.getCloseGracePeriodMs(),
        Limits.MAX_CLOSE_GRACE_PERIOD);
    // The instance would die under its other sessions.
    require(!s.getKillInstanceOnClose() || perInstance == 1,
        "spec.session.killInstanceOnClose is only allowed with sessionsPerInstance 1 (got %d)",
        perInstance);
  }
}
