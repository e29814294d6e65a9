package io.fornax.api.validation;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.SessionPolicy;
import java.time.Duration;

/**
 * Defaults for application fields left unset. Protobuf cannot tell an unset number from 0, so 0
 * means "default" for each field below, and 0 itself cannot be asked for. Apply them before
 * {@link Validator#validateApplication}, which rejects 0 in most of these fields.
 *
 * <ul>
 *   <li>{@code ports[].protocol} "" → {@value Limits#PROTOCOL_TCP}
 *   <li>{@code scaling.maxInstances} 0 → {@value #MAX_INSTANCES}, or {@code minInstances} if larger
 *   <li>{@code scaling.burst} 0 → {@value #BURST}
 *   <li>{@code scaling.idleTimeout} 0 → 5 min
 *   <li>{@code scaling.idleSessionsHigh} 0 → {@code idleSessionsLow}
 *   <li>{@code session.sessionsPerInstance} 0 → {@value #SESSIONS_PER_INSTANCE}
 *   <li>{@code session.openTimeout} 0 → 10 s
 *   <li>{@code session.closeGracePeriod} 0 → 5 s
 * </ul>
 *
 * {@code runtime.runtimeClass} "" is left as is: the node picks by what the runtime sets.
 */
public final class Defaults {
  /** {@code scaling.maxInstances} when 0 (raised to {@code minInstances} if that is larger). */
  public static final int MAX_INSTANCES = 10;
  /** {@code scaling.burst} when 0: instances created or deleted per scaling step. */
  public static final int BURST = 5;
  /** {@code scaling.idleTimeout} when 0. */
  public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
  /** {@code session.sessionsPerInstance} when 0: each session gets its own instance. */
  public static final int SESSIONS_PER_INSTANCE = 1;
  /** {@code session.openTimeout} when 0. */
  public static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);
  /** {@code session.closeGracePeriod} when 0. */
  public static final Duration CLOSE_GRACE_PERIOD = Duration.ofSeconds(5);

  private Defaults() {}

  /** {@code app} with every unset field listed above filled; fields already set are kept. */
  public static Application applyApplicationDefaults(Application app) {
    ApplicationSpec.Builder spec = app.getSpec().toBuilder();
    for (int i = 0; i < spec.getPortsCount(); i++) {
      PortSpec p = spec.getPorts(i);
      if (p.getProtocol().isEmpty()) {
        spec.setPorts(i, p.toBuilder().setProtocol(Limits.PROTOCOL_TCP));
      }
    }
    spec.setScaling(scaling(spec.getScaling().toBuilder()));
    spec.setSession(session(spec.getSession().toBuilder()));
    return app.toBuilder().setSpec(spec).build();
  }

  private static ScalingPolicy.Builder scaling(ScalingPolicy.Builder s) {
    if (s.getMaxInstances() == 0) {
      // Compared unsigned, so an out-of-range minInstances is kept for validation to report.
      s.setMaxInstances(Integer.compareUnsigned(s.getMinInstances(), MAX_INSTANCES) > 0
          ? s.getMinInstances() : MAX_INSTANCES);
    }
    if (s.getBurst() == 0) {
      s.setBurst(BURST);
    }
    if (s.getIdleTimeoutMs() == 0) {
      s.setIdleTimeoutMs(IDLE_TIMEOUT.toMillis());
    }
    if (s.getIdleSessionsHigh() == 0) {
      s.setIdleSessionsHigh(s.getIdleSessionsLow());
    }
    return s;
  }

  private static SessionPolicy.Builder session(SessionPolicy.Builder s) {
    if (s.getSessionsPerInstance() == 0) {
      s.setSessionsPerInstance(SESSIONS_PER_INSTANCE);
    }
    if (s.getOpenTimeoutMs() == 0) {
      s.setOpenTimeoutMs(OPEN_TIMEOUT.toMillis());
    }
    if (s.getCloseGracePeriodMs() == 0) {
      s.setCloseGracePeriodMs(CLOSE_GRACE_PERIOD.toMillis());
    }
    return s;
  }
}
