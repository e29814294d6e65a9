package io.fornax.api.validation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.fornax.api.FornaxException;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.PortRange;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.RuntimeSpec;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValidatorTest {
  private static Application valid() {
    return Defaults.applyApplicationDefaults(Application.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName("echo").putLabels("team", "edge"))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/cat").putEnv("MODE", "echo"))
            .addPorts(PortSpec.newBuilder().setName("main").setPort(8080)))
        .build());
  }

  private static String rejected(Application app) {
    FornaxException e = assertThrows(FornaxException.class, () -> Validator.validateApplication(app));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    return e.getMessage();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "echo", "my-app-2", "0abc"})
  void goodNames(String name) {
    assertDoesNotThrow(() -> Validator.validateName("metadata.name", name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Foo", "a_b", "-a", "a-", "a.b", "ä"})
  void badNames(String name) {
    assertThrows(FornaxException.class, () -> Validator.validateName("metadata.name", name));
  }

  @Test
  void nameLongerThan63IsRejected() {
    String msg = assertThrows(FornaxException.class,
        () -> Validator.validateName("metadata.name", "a".repeat(64))).getMessage();
    assertTrue(msg.startsWith("metadata.name \"aaaa"), msg);
    assertTrue(msg.length() < 300, "huge input is not echoed whole");
  }

  @Test
  void validApplicationPasses() {
    assertDoesNotThrow(() -> Validator.validateApplication(valid()));
  }

  static Stream<Arguments> badApplications() {
    return Stream.of(
        bad("spec.scaling.maxInstances must be >= minInstances (got 2 < 3)",
            a -> withScaling(a, s -> s.setMinInstances(3).setMaxInstances(2))),
        bad("spec.scaling.idleSessionsHigh must be >= idleSessionsLow (got 1 < 2)",
            a -> withScaling(a, s -> s.setIdleSessionsLow(2).setIdleSessionsHigh(1))),
        bad("spec.scaling.maxInstances must be <= 100000",
            a -> withScaling(a, s -> s.setMaxInstances(100_001))),
        bad("spec.runtime.command is required",
            a -> a.toBuilder().setSpec(a.getSpec().toBuilder().setRuntime(RuntimeSpec.newBuilder()
                .setRuntimeClass("process"))).build()),
        bad("spec.runtime needs a command",
            a -> a.toBuilder().setSpec(a.getSpec().toBuilder().clearRuntime()).build()),
        bad("spec.runtime.runtimeClass must be",
            a -> a.toBuilder().setSpec(a.getSpec().toBuilder().setRuntime(a.getSpec().getRuntime()
                .toBuilder().setRuntimeClass("vm"))).build()),
        bad("spec.ports[1].port 8080 is used twice",
            a -> a.toBuilder().setSpec(a.getSpec().toBuilder().addPorts(PortSpec.newBuilder()
                .setName("other").setPort(8080).setProtocol("tcp"))).build()),
        bad("spec.ports[0].port must be 1..65535 (got 70000)",
            a -> a.toBuilder().setSpec(a.getSpec().toBuilder().setPorts(0, a.getSpec().getPorts(0)
                .toBuilder().setPort(70000))).build()),
        bad("spec.runtime.env key \"1BAD\"",
            a -> a.toBuilder().setSpec(a.getSpec().toBuilder().setRuntime(a.getSpec().getRuntime()
                .toBuilder().putEnv("1BAD", "x"))).build()),
        bad("spec.runtime.env[BIG] is 40000 characters",
            a -> a.toBuilder().setSpec(a.getSpec().toBuilder().setRuntime(a.getSpec().getRuntime()
                .toBuilder().putEnv("BIG", "x".repeat(40_000)))).build()),
        bad("spec.session.killInstanceOnClose needs sessionsPerInstance 1 (got 2)",
            a -> a.toBuilder().setSpec(a.getSpec().toBuilder().setSession(a.getSpec().getSession()
                .toBuilder().setKillInstanceOnClose(true).setSessionsPerInstance(2))).build()),
        bad("metadata.labels key \"bad key\"",
            a -> a.toBuilder().setMeta(a.getMeta().toBuilder().putLabels("bad key", "v")).build()),
        bad("spec.nodeSelector[zone] value",
            a -> a.toBuilder().setSpec(a.getSpec().toBuilder().putNodeSelector("zone", "a b"))
                .build()));
  }

  private static Arguments bad(String message, UnaryOperator<Application> change) {
    return Arguments.of(message, change);
  }

  private static Application withScaling(Application a,
      UnaryOperator<io.fornax.api.proto.ScalingPolicy.Builder> change) {
    return a.toBuilder().setSpec(a.getSpec().toBuilder()
        .setScaling(change.apply(a.getSpec().getScaling().toBuilder()))).build();
  }

  @ParameterizedTest
  @MethodSource("badApplications")
  void badApplicationsNameTheFieldAndWhy(String expected, UnaryOperator<Application> change) {
    String msg = rejected(change.apply(valid()));
    assertTrue(msg.startsWith(expected), "got: " + msg);
  }

  @Test
  void defaultsFillUnsetFields() {
    Application a = valid();
    assertEquals(10, a.getSpec().getScaling().getMaxInstances());
    assertEquals(5, a.getSpec().getScaling().getBurst());
    assertEquals(1, a.getSpec().getSession().getSessionsPerInstance());
    assertEquals(10_000, a.getSpec().getSession().getOpenTimeoutMs());
    assertEquals("tcp", a.getSpec().getPorts(0).getProtocol());
  }

  @Test
  void sessionRequestLimits() {
    OpenSessionRequest ok = OpenSessionRequest.newBuilder().setApplication("echo")
        .setIdempotencyKey("k-1").build();
    assertDoesNotThrow(() -> Validator.validateOpenSession(ok));
    assertThrows(FornaxException.class, () -> Validator.validateOpenSession(ok.toBuilder()
        .setSessionData(ByteString.copyFrom(new byte[Limits.MAX_SESSION_DATA + 1])).build()));
    assertThrows(FornaxException.class, () -> Validator.validateOpenSession(ok.toBuilder()
        .setIdempotencyKey("has space").build()));
    assertThrows(FornaxException.class, () -> Validator.validateOpenSession(ok.toBuilder()
        .setOpenTimeoutMs(Limits.MAX_OPEN_TIMEOUT_MS + 1).build()));
  }

  @Test
  void nodes() {
    Node ok = Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n1"))
        .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1")
            .setIngressPortRange(PortRange.newBuilder().setFrom(20000).setTo(20100))
            .setCapacity(Capacity.newBuilder().setCpuMillis(2000).setMemoryBytes(1 << 30)
                .setMaxInstances(10)))
        .build();
    assertDoesNotThrow(() -> Validator.validateNode(ok));
    String msg = assertThrows(FornaxException.class, () -> Validator.validateNode(ok.toBuilder()
        .setSpec(ok.getSpec().toBuilder().setIngressPortRange(PortRange.newBuilder().setFrom(9)
            .setTo(8))).build())).getMessage();
    assertTrue(msg.contains("spec.ingressPortRange"), msg);
    assertThrows(FornaxException.class, () -> Validator.validateNode(ok.toBuilder()
        .setSpec(ok.getSpec().toBuilder().setCapacity(Capacity.getDefaultInstance())).build()));
  }

  @Test
  void tooManyLabels() {
    Map<String, String> labels = new java.util.HashMap<>();
    for (int i = 0; i <= Limits.MAX_LABELS; i++) {
      labels.put("k" + i, "v");
    }
    assertThrows(FornaxException.class, () -> Validator.validateLabels("metadata.labels", labels));
  }
}
