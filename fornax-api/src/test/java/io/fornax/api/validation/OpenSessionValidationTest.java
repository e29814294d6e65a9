package io.fornax.api.validation;

import static io.fornax.api.validation.Manifests.openSession;
import static io.fornax.api.validation.Rejections.NAME_RULE;
import static io.fornax.api.validation.Rejections.messageOf;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.google.protobuf.ByteString;
import io.fornax.api.proto.OpenSessionRequest;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpenSessionValidationTest {
  @Test
  void theFixtureAndTheMinimalRequestAreValid() {
    assertDoesNotThrow(() -> Validator.validateOpenSession(openSession()));
    assertDoesNotThrow(() -> Validator.validateOpenSession(
        OpenSessionRequest.newBuilder().setApplication("echo").build()));
  }

  @Test
  void valuesAtTheLimitsPass() {
    assertDoesNotThrow(() -> Validator.validateOpenSession(with(r -> r
        .setSessionData(ByteString.copyFrom(new byte[64 << 10]))
        .setOpenTimeoutMs(3_600_000).setCloseGracePeriodMs(600_000)
        .setIdempotencyKey(" ~".repeat(64)).setTenant("acme"))));
  }

  static Stream<Arguments> brokenRequests() {
    return Stream.of(
        argumentSet("application required", "application is required",
            with(r -> r.clearApplication())),
        argumentSet("application format", "application \"Echo\" " + NAME_RULE,
            with(r -> r.setApplication("Echo"))),
        argumentSet("sessionData size", "sessionData is 65537 bytes; at most 65536 are allowed",
            with(r -> r.setSessionData(ByteString.copyFrom(new byte[(64 << 10) + 1])))),
        argumentSet("openTimeout", "openTimeout must be <= 1h (got 3600001 ms)",
            with(r -> r.setOpenTimeoutMs(3_600_001))),
        argumentSet("openTimeout shown unsigned", "openTimeout must be <= 1h (got"
            + " 18446744073709551615 ms)", with(r -> r.setOpenTimeoutMs(-1))),
        argumentSet("closeGracePeriod", "closeGracePeriod must be <= 10m (got 600001 ms)",
            with(r -> r.setCloseGracePeriodMs(600_001))),
        argumentSet("idempotencyKey length", "idempotencyKey is 129 characters; at most 128 are"
            + " allowed", with(r -> r.setIdempotencyKey("k".repeat(129)))),
        argumentSet("idempotencyKey control character", "idempotencyKey must be printable ASCII"
            + " (character 1 is U+000A)", with(r -> r.setIdempotencyKey("k\n"))),
        argumentSet("idempotencyKey non-ASCII", "idempotencyKey must be printable ASCII"
            + " (character 0 is U+00E9)", with(r -> r.setIdempotencyKey("é"))),
        argumentSet("idempotencyKey DEL", "idempotencyKey must be printable ASCII (character 2"
            + " is U+007F)", with(r -> r.setIdempotencyKey("ab\u007f"))),
        argumentSet("labels", "labels key \"-/x\" has an invalid prefix: it must be a DNS"
                + " subdomain (lowercase letters, digits, '-' and '.'), at most 253 characters",
            with(r -> r.putLabels("-/x", ""))),
        argumentSet("tenant", "tenant \"Acme\" " + NAME_RULE, with(r -> r.setTenant("Acme"))));
  }

  @ParameterizedTest
  @MethodSource("brokenRequests")
  void aBrokenFieldIsNamedWithWhyAndTheValue(String expected, OpenSessionRequest request) {
    assertEquals(expected, messageOf(() -> Validator.validateOpenSession(request)));
  }

  private static OpenSessionRequest with(UnaryOperator<OpenSessionRequest.Builder> change) {
    return change.apply(openSession().toBuilder()).build();
  }
}
