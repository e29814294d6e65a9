package io.fornax.api.validation;

import static io.fornax.api.validation.Manifests.tenant;
import static io.fornax.api.validation.Rejections.NAME_RULE;
import static io.fornax.api.validation.Rejections.messageOf;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.TenantQuota;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TenantValidationTest {
  @Test
  void theFixtureIsValid() {
    assertDoesNotThrow(() -> Validator.validateTenant(tenant()));
  }

  @Test
  void zeroQuotasMeanUnlimitedAndQuotasAtTheLimitsPass() {
    assertDoesNotThrow(() -> Validator.validateTenant(withQuota(q -> q.clear())));
    assertDoesNotThrow(() -> Validator.validateTenant(withQuota(q -> q
        .setMaxApplications(1_000_000_000).setMaxSessions(1_000_000_000)
        .setMaxInstances(1_000_000_000).setMaxCpuMillis(1_000_000_000_000L)
        .setMaxMemoryBytes(1L << 60))));
  }

  static Stream<Arguments> brokenTenants() {
    return Stream.of(
        argumentSet("name required", "metadata.name is required",
            tenant().toBuilder().setMeta(tenant().getMeta().toBuilder().clearName()).build()),
        argumentSet("name format", "metadata.name \"ACME\" " + NAME_RULE,
            tenant().toBuilder().setMeta(tenant().getMeta().toBuilder().setName("ACME")).build()),
        argumentSet("labels", "metadata.labels key \"a b\" is not valid: after an optional"
                + " \"prefix/\" it must be 1 to 63 letters, digits, '-', '_' or '.'",
            tenant().toBuilder().setMeta(tenant().getMeta().toBuilder().putLabels("a b", ""))
                .build()),
        argumentSet("maxApplications", "quota.maxApplications must be <= 1000000000, or 0 for"
            + " unlimited (got 1000000001)", withQuota(q -> q.setMaxApplications(1_000_000_001))),
        argumentSet("maxSessions shown unsigned", "quota.maxSessions must be <= 1000000000, or 0"
            + " for unlimited (got 4294967295)", withQuota(q -> q.setMaxSessions(-1))),
        argumentSet("maxInstances", "quota.maxInstances must be <= 1000000000, or 0 for"
            + " unlimited (got 2147483648)", withQuota(q -> q.setMaxInstances(Integer.MIN_VALUE))),
        argumentSet("maxCpu", "quota.maxCpu must be <= 1000000000000 millicores, or 0 for"
                + " unlimited (got 1000000000001)",
            withQuota(q -> q.setMaxCpuMillis(1_000_000_000_001L))),
        argumentSet("maxMemory shown unsigned", "quota.maxMemory must be <= 1152921504606846976"
                + " bytes, or 0 for unlimited (got 18446744073709551615)",
            withQuota(q -> q.setMaxMemoryBytes(-1))));
  }

  @ParameterizedTest
  @MethodSource("brokenTenants")
  void aBrokenFieldIsNamedWithWhyAndTheValue(String expected, Tenant tenant) {
    assertEquals(expected, messageOf(() -> Validator.validateTenant(tenant)));
  }

  private static Tenant withQuota(UnaryOperator<TenantQuota.Builder> change) {
    return tenant().toBuilder().setQuota(change.apply(tenant().getQuota().toBuilder())).build();
  }
}
