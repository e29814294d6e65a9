package io.fornax.api.validation;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.SessionPolicy;

/**
 * Defaults for application fields left at zero. Protobuf cannot tell "unset" from 0, so zero
 * means "default" for every field below; write the value explicitly to get something else.
 */
public final class Defaults {
  public static final int MAX_INSTANCES = 10;
  public static final int BURST = 5;
  public static final long IDLE_TIMEOUT_MS = 300_000;
  public static final int SESSIONS_PER_INSTANCE = 1;
  public static final long OPEN_TIMEOUT_MS = 10_000;
  public static final long CLOSE_GRACE_MS = 5_000;

  private Defaults() {}

  public static Application applyApplicationDefaults(Application app) {
    ApplicationSpec.Builder spec = app.getSpec().toBuilder();
    for (int i = 0; i < spec.getPortsCount(); i++) {
      PortSpec p = spec.getPorts(i);
      if (p.getProtocol().isEmpty()) {
        spec.setPorts(i, p.toBuilder().setProtocol("tcp"));
      }
    }
    ScalingPolicy.Builder scaling = spec.getScaling().toBuilder();
    if (scaling.getMaxInstances() == 0) {
      scaling.setMaxInstances(Math.max(MAX_INSTANCES, scaling.getMinInstances()));
    }
    if (scaling.getBurst() == 0) {
      scaling.setBurst(BURST);
    }
    if (scaling.getIdleTimeoutMs() == 0) {
      scaling.setIdleTimeoutMs(IDLE_TIMEOUT_MS);
    }
    if (scaling.getIdleSessionsHigh() == 0) {
      scaling.setIdleSessionsHigh(scaling.getIdleSessionsLow());
    }
    SessionPolicy.Builder session = spec.getSession().toBuilder();
    if (session.getSessionsPerInstance() == 0) {
      session.setSessionsPerInstance(SESSIONS_PER_INSTANCE);
    }
    if (session.getOpenTimeoutMs() == 0) {
      session.setOpenTimeoutMs(OPEN_TIMEOUT_MS);
    }
    if (session.getCloseGracePeriodMs() == 0) {
      session.setCloseGracePeriodMs(CLOSE_GRACE_MS);
    }
    return app.toBuilder().setSpec(spec.setScaling(scaling).setSession(session)).build();
  }
}
