package io.fornax.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.ApplicationStatus;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.SessionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefaultsTest {
  private static Application withScaling(ScalingPolicy.Builder scaling) {
    return Application.newBuilder().setSpec(ApplicationSpec.newBuilder().setScaling(scaling))
        .build();
  }

  @Test
  void unsetFieldsGetTheirDefaults() {
    Application a = Defaults.applyApplicationDefaults(Application.newBuilder()
        .setSpec(ApplicationSpec.newBuilder().addPorts(PortSpec.newBuilder().setName("main")))
        .build());
    ScalingPolicy scaling = a.getSpec().getScaling();
    assertEquals(10, scaling.getMaxInstances());
    assertEquals(5, scaling.getBurst());
    assertEquals(300_000, scaling.getIdleTimeoutMs());
    assertEquals(0, scaling.getIdleSessionsHigh());
    SessionPolicy session = a.getSpec().getSession();
    assertEquals(1, session.getSessionsPerInstance());
    assertEquals(10_000, session.getOpenTimeoutMs());
    assertEquals(5_000, session.getCloseGracePeriodMs());
    assertEquals("tcp", a.getSpec().getPorts(0).getProtocol());
    assertEquals("", a.getSpec().getRuntime().getRuntimeClass());
  }

  @Test
  void setFieldsAreKept() {
    Application set = Application.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName("app").putLabels("k", "v"))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setRuntimeClass("oci").setImage("nginx"))
            .addPorts(PortSpec.newBuilder().setName("dns").setPort(53).setProtocol("udp"))
            .setScaling(ScalingPolicy.newBuilder().setMinInstances(2).setMaxInstances(3)
                .setIdleSessionsLow(1).setIdleSessionsHigh(2).setBurst(1).setIdleTimeoutMs(1)
                .setStandby(true))
            .setSession(SessionPolicy.newBuilder().setSessionsPerInstance(4).setOpenTimeoutMs(7)
                .setCloseGracePeriodMs(8)))
        .setStatus(ApplicationStatus.newBuilder().setDesiredInstances(2))
        .build();
    assertEquals(set, Defaults.applyApplicationDefaults(set));
  }

  @ParameterizedTest(name = "minInstances {0} -> maxInstances {1}")
  @CsvSource({"0, 10", "3, 10", "10, 10", "11, 11", "500, 500"})
  void maxInstancesDefaultsToTenOrMinInstancesIfLarger(int min, int expectedMax) {
    Application a = Defaults.applyApplicationDefaults(
        withScaling(ScalingPolicy.newBuilder().setMinInstances(min)));
    assertEquals(expectedMax, a.getSpec().getScaling().getMaxInstances());
  }

  @Test
  void anOutOfRangeMinInstancesIsKeptForValidationToReport() {
    Application a = Defaults.applyApplicationDefaults(
        withScaling(ScalingPolicy.newBuilder().setMinInstances(-1)));
    assertEquals(-1, a.getSpec().getScaling().getMaxInstances());
  }

  @Test
  void idleSessionsHighDefaultsToIdleSessionsLow() {
    Application a = Defaults.applyApplicationDefaults(
        withScaling(ScalingPolicy.newBuilder().setIdleSessionsLow(3)));
    assertEquals(3, a.getSpec().getScaling().getIdleSessionsHigh());
  }

  @Test
  void applyingTwiceChangesNothingMore() {
    Application once = Defaults.applyApplicationDefaults(Manifests.application());
    assertEquals(once, Defaults.applyApplicationDefaults(once));
  }

  @Test
  void theConstantsAreTheDocumentedValues() {
    assertEquals(10, Defaults.MAX_INSTANCES);
    assertEquals(5, Defaults.BURST);
    assertEquals(300_000, Defaults.IDLE_TIMEOUT.toMillis());
    assertEquals(1, Defaults.SESSIONS_PER_INSTANCE);
    assertEquals(10_000, Defaults.OPEN_TIMEOUT.toMillis());
    assertEquals(5_000, Defaults.CLOSE_GRACE_PERIOD.toMillis());
  }
}
