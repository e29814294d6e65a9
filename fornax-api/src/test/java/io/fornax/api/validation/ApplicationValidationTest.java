package io.fornax.api.validation;

import static io.fornax.api.validation.Manifests.application;
import static io.fornax.api.validation.Manifests.withMeta;
import static io.fornax.api.validation.Manifests.withRuntime;
import static io.fornax.api.validation.Manifests.withScaling;
import static io.fornax.api.validation.Manifests.withSession;
import static io.fornax.api.validation.Manifests.withSpec;
import static io.fornax.api.validation.Rejections.NAME_RULE;
import static io.fornax.api.validation.Rejections.messageOf;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.RuntimeSpec;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApplicationValidationTest {
  private static final int UINT32_MAX = -1;
  private static final long UINT64_MAX = -1L;

  @Test
  void theFixtureIsValid() {
    assertDoesNotThrow(() -> Validator.validateApplication(application()));
  }

  /** One row per rule: the exact message a user gets for one broken field. */
  static Stream<Arguments> brokenApplications() {
    return Stream.of(metadata(), runtime(), ports(), resources(), scaling(), session(),
        nodeSelector()).flatMap(s -> s);
  }

  private static Stream<Arguments> metadata() {
    return Stream.of(
        argumentSet("name required", "metadata.name is required", withMeta(m -> m.setName(""))),
        argumentSet("name format", "metadata.name \"Foo_1\" " + NAME_RULE,
            withMeta(m -> m.setName("Foo_1"))),
        argumentSet("tenant format", "metadata.tenant \"Acme\" " + NAME_RULE,
            withMeta(m -> m.setTenant("Acme"))),
        argumentSet("label key", "metadata.labels key \"bad key\" is not valid: after an optional"
                + " \"prefix/\" it must be 1 to 63 letters, digits, '-', '_' or '.'",
            withMeta(m -> m.putLabels("bad key", "v"))));
  }

  private static Stream<Arguments> runtime() {
    return Stream.of(
        argumentSet("command size", "spec.runtime.command is 4097 bytes; at most 4096 are allowed",
            withRuntime(r -> r.setCommand("/".repeat(4097)))),
        argumentSet("command size counts UTF-8 bytes",
            "spec.runtime.command is 4098 bytes; at most 4096 are allowed",
            withRuntime(r -> r.setCommand("é".repeat(2049)))),
        argumentSet("args count", "spec.runtime.args has 257 items; at most 256 are allowed",
            withRuntime(r -> r.clearArgs().addAllArgs(Collections.nCopies(257, "x")))),
        argumentSet("arg size", "spec.runtime.args[1] is 4097 bytes; at most 4096 are allowed",
            withRuntime(r -> r.addArgs("x".repeat(4097)))),
        argumentSet("env count", "spec.runtime.env has 257 entries; at most 256 are allowed",
            withRuntime(r -> r.putAllEnv(env(256)))),
        argumentSet("env key", "spec.runtime.env key \"1BAD\" is not a valid variable name: must"
                + " match [A-Za-z_][A-Za-z0-9_]*, at most 256 characters",
            withRuntime(r -> r.putEnv("1BAD", "x"))),
        argumentSet("env key length", "spec.runtime.env key \"" + "K".repeat(80) + "...\" is not a"
                + " valid variable name: must match [A-Za-z_][A-Za-z0-9_]*, at most 256 characters",
            withRuntime(r -> r.putEnv("K".repeat(257), "x"))),
        argumentSet("env value size", "spec.runtime.env[BIG] is 32769 bytes; at most 32768 are"
            + " allowed", withRuntime(r -> r.putEnv("BIG", "x".repeat(32769)))),
        argumentSet("workingDir size", "spec.runtime.workingDir is 4097 bytes; at most 4096 are"
            + " allowed", withRuntime(r -> r.setWorkingDir("d".repeat(4097)))),
        argumentSet("image size", "spec.runtime.image is 4097 bytes; at most 4096 are allowed",
            withRuntime(r -> r.setImage("i".repeat(4097)))),
        argumentSet("rootfs size", "spec.runtime.rootfs is 4097 bytes; at most 4096 are allowed",
            withRuntime(r -> r.setRootfs("r".repeat(4097)))),
        argumentSet("runtimeClass value",
            "spec.runtime.runtimeClass must be \"process\", \"oci\" or empty (got \"vm\")",
            withRuntime(r -> r.setRuntimeClass("vm"))),
        argumentSet("process needs a command",
            "spec.runtime.command is required for runtimeClass \"process\"",
            withRuntime(r -> r.clearCommand().setImage("nginx").setRuntimeClass("process"))),
        argumentSet("oci needs an image or rootfs",
            "spec.runtime.image or spec.runtime.rootfs is required for runtimeClass \"oci\"",
            withRuntime(r -> r.setRuntimeClass("oci"))),
        argumentSet("something to run", "spec.runtime needs a command (process runtime) or an"
            + " image or rootfs (oci runtime)", withSpec(s -> s.clearRuntime())));
  }

  private static Stream<Arguments> ports() {
    return Stream.of(
        argumentSet("port count", "spec.ports has 17 entries; at most 16 are allowed",
            withSpec(s -> s.clearPorts().addAllPorts(IntStream.range(0, 17)
                .mapToObj(i -> port("p" + i, 8000 + i)).toList()))),
        argumentSet("port name required", "spec.ports[0].name is required",
            withSpec(s -> s.setPorts(0, port("", 8080)))),
        argumentSet("port name format", "spec.ports[0].name \"HTTP\" " + NAME_RULE,
            withSpec(s -> s.setPorts(0, port("HTTP", 8080)))),
        argumentSet("port 0", "spec.ports[0].port must be 1..65535 (got 0)",
            withSpec(s -> s.setPorts(0, port("main", 0)))),
        argumentSet("port 65536", "spec.ports[0].port must be 1..65535 (got 65536)",
            withSpec(s -> s.setPorts(0, port("main", 65536)))),
        argumentSet("port shown unsigned", "spec.ports[0].port must be 1..65535 (got 4294967295)",
            withSpec(s -> s.setPorts(0, port("main", UINT32_MAX)))),
        argumentSet("port protocol", "spec.ports[0].protocol must be \"tcp\" or \"udp\" (got"
                + " \"sctp\")",
            withSpec(s -> s.setPorts(0, port("main", 8080).toBuilder().setProtocol("sctp")))),
        argumentSet("port names unique", "spec.ports[1].name \"main\" is already used by"
            + " spec.ports[0]", withSpec(s -> s.addPorts(port("main", 9090)))),
        argumentSet("port numbers unique", "spec.ports[1].port 8080 is already used by"
            + " spec.ports[0]", withSpec(s -> s.addPorts(port("other", 8080)))));
  }

  private static Stream<Arguments> resources() {
    return Stream.of(
        argumentSet("cpu", "spec.resources.cpu must be <= 1000000 millicores (got 1000001)",
            withSpec(s -> s.setResources(s.getResources().toBuilder().setCpuMillis(1_000_001)))),
        argumentSet("cpu shown unsigned",
            "spec.resources.cpu must be <= 1000000 millicores (got 4294967295)",
            withSpec(s -> s.setResources(s.getResources().toBuilder().setCpuMillis(UINT32_MAX)))),
        argumentSet("memory", "spec.resources.memory must be <= 1099511627776 bytes (1 TiB) (got"
                + " 1099511627777)",
            withSpec(s -> s.setResources(s.getResources().toBuilder()
                .setMemoryBytes((1L << 40) + 1)))),
        argumentSet("memory shown unsigned", "spec.resources.memory must be <= 1099511627776 bytes"
                + " (1 TiB) (got 18446744073709551615)",
            withSpec(s -> s.setResources(s.getResources().toBuilder()
                .setMemoryBytes(UINT64_MAX)))));
  }

  private static Stream<Arguments> scaling() {
    return Stream.of(
        argumentSet("minInstances bound", "spec.scaling.minInstances must be <= 100000 (got"
            + " 100001)", withScaling(s -> s.setMinInstances(100_001).setMaxInstances(100_001))),
        argumentSet("max >= min", "spec.scaling.maxInstances must be >= minInstances (got 2 < 3)",
            withScaling(s -> s.setMinInstances(3).setMaxInstances(2))),
        argumentSet("max >= min without defaults",
            "spec.scaling.maxInstances must be >= minInstances (got 0 < 1)",
            withScaling(s -> s.setMinInstances(1).setMaxInstances(0))),
        argumentSet("max >= 1", "spec.scaling.maxInstances must be >= 1 (got 0)",
            withScaling(s -> s.setMinInstances(0).setIdleSessionsLow(0).setIdleSessionsHigh(0)
                .setMaxInstances(0))),
        argumentSet("maxInstances bound", "spec.scaling.maxInstances must be <= 100000 (got"
            + " 100001)", withScaling(s -> s.setMaxInstances(100_001))),
        argumentSet("maxInstances shown unsigned", "spec.scaling.maxInstances must be <= 100000"
            + " (got 4294967295)", withScaling(s -> s.setMaxInstances(UINT32_MAX))),
        argumentSet("high >= low", "spec.scaling.idleSessionsHigh must be >= idleSessionsLow (got"
            + " 1 < 2)", withScaling(s -> s.setIdleSessionsLow(2).setIdleSessionsHigh(1))),
        argumentSet("low <= max", "spec.scaling.idleSessionsLow must be <= maxInstances (got 11"
            + " > 10)", withScaling(s -> s.setIdleSessionsLow(11).setIdleSessionsHigh(11))),
        argumentSet("idleSessionsHigh bound", "spec.scaling.idleSessionsHigh must be <= 100000"
            + " (got 4294967295)", withScaling(s -> s.setIdleSessionsHigh(UINT32_MAX))),
        argumentSet("burst >= 1", "spec.scaling.burst must be >= 1 (got 0)",
            withScaling(s -> s.setBurst(0))),
        argumentSet("burst bound", "spec.scaling.burst must be <= 100000 (got 100001)",
            withScaling(s -> s.setBurst(100_001))),
        argumentSet("idleTimeout bound", "spec.scaling.idleTimeout must be <= 7d (got 604800001"
            + " ms)", withScaling(s -> s.setIdleTimeoutMs(604_800_001L))),
        argumentSet("idleTimeout shown unsigned", "spec.scaling.idleTimeout must be <= 7d (got"
            + " 18446744073709551615 ms)", withScaling(s -> s.setIdleTimeoutMs(UINT64_MAX))));
  }

  private static Stream<Arguments> session() {
    return Stream.of(
        argumentSet("sessionsPerInstance >= 1", "spec.session.sessionsPerInstance must be 1..1000"
            + " (got 0)", withSession(s -> s.setSessionsPerInstance(0))),
        argumentSet("sessionsPerInstance bound", "spec.session.sessionsPerInstance must be"
            + " 1..1000 (got 1001)", withSession(s -> s.setSessionsPerInstance(1001))),
        argumentSet("openTimeout > 0", "spec.session.openTimeout must be > 0 (got 0 ms)",
            withSession(s -> s.setOpenTimeoutMs(0))),
        argumentSet("openTimeout bound", "spec.session.openTimeout must be <= 1h (got 3600001 ms)",
            withSession(s -> s.setOpenTimeoutMs(3_600_001))),
        argumentSet("closeGracePeriod bound", "spec.session.closeGracePeriod must be <= 10m (got"
            + " 600001 ms)", withSession(s -> s.setCloseGracePeriodMs(600_001))),
        argumentSet("killInstanceOnClose needs one session per instance",
            "spec.session.killInstanceOnClose is only allowed with sessionsPerInstance 1 (got 2)",
            withSession(s -> s.setKillInstanceOnClose(true).setSessionsPerInstance(2))));
  }

  private static Stream<Arguments> nodeSelector() {
    return Stream.of(
        argumentSet("nodeSelector value", "spec.nodeSelector[zone] value \"a b\" is not valid:"
                + " must be at most 63 letters, digits, '-', '_' or '.'",
            withSpec(s -> s.putNodeSelector("zone", "a b"))),
        argumentSet("nodeSelector count", "spec.nodeSelector has 65 entries; at most 64 are"
            + " allowed", withSpec(s -> s.clearNodeSelector().putAllNodeSelector(labels(65)))));
  }

  @ParameterizedTest
  @MethodSource("brokenApplications")
  void aBrokenFieldIsNamedWithWhyAndTheValue(String expected, Application app) {
    assertEquals(expected, messageOf(() -> Validator.validateApplication(app)));
  }

  /** Each limit is inclusive: a value exactly at it passes. */
  static Stream<Arguments> atTheLimits() {
    return Stream.of(
        argumentSet("63-character name", withMeta(m -> m.setName("a".repeat(63)))),
        argumentSet("4 KiB command", withRuntime(r -> r.setCommand("/".repeat(4096)))),
        argumentSet("256 args of 4 KiB", withRuntime(r -> r.clearArgs()
            .addAllArgs(Collections.nCopies(256, "x".repeat(4096))))),
        argumentSet("256 env entries", withRuntime(r -> r.clearEnv().putAllEnv(env(256)))),
        argumentSet("256-character env key", withRuntime(r -> r.putEnv("K".repeat(256), ""))),
        argumentSet("32 KiB env value", withRuntime(r -> r.putEnv("BIG", "x".repeat(32768)))),
        argumentSet("16 ports, 1 and 65535", withSpec(s -> s.clearPorts()
            .addAllPorts(IntStream.range(0, 14).mapToObj(i -> port("p" + i, 8000 + i)).toList())
            .addPorts(port("low", 1)).addPorts(port("high", 65535)))),
        argumentSet("udp port", withSpec(s -> s.setPorts(0, port("dns", 53).toBuilder()
            .setProtocol("udp")))),
        argumentSet("cpu and memory at most", withSpec(s -> s.setResources(s.getResources()
            .toBuilder().setCpuMillis(1_000_000).setMemoryBytes(1L << 40)))),
        argumentSet("100000 instances", withScaling(s -> s.setMinInstances(100_000)
            .setMaxInstances(100_000).setIdleSessionsLow(100_000).setIdleSessionsHigh(100_000)
            .setBurst(100_000).setIdleTimeoutMs(604_800_000L).setStandby(true))),
        argumentSet("session timeouts at most", withSession(s -> s.setSessionsPerInstance(1000)
            .setOpenTimeoutMs(3_600_000).setCloseGracePeriodMs(600_000))),
        argumentSet("killInstanceOnClose with one session", withSession(s -> s
            .setKillInstanceOnClose(true).setSessionsPerInstance(1))),
        argumentSet("64 node selector entries", withSpec(s -> s.clearNodeSelector()
            .putAllNodeSelector(labels(64)))),
        argumentSet("no tenant yet", withMeta(m -> m.clearTenant())));
  }

  @ParameterizedTest
  @MethodSource("atTheLimits")
  void valuesAtTheLimitsPass(Application app) {
    assertDoesNotThrow(() -> Validator.validateApplication(app));
  }

  static Stream<Arguments> runtimes() {
    return Stream.of(
        argumentSet("process by class", RuntimeSpec.newBuilder().setRuntimeClass("process")
            .setCommand("/bin/app").build()),
        argumentSet("process by command", RuntimeSpec.newBuilder().setCommand("/bin/app").build()),
        argumentSet("oci image", RuntimeSpec.newBuilder().setRuntimeClass("oci")
            .setImage("docker.io/library/nginx:1.27").build()),
        argumentSet("oci rootfs", RuntimeSpec.newBuilder().setRuntimeClass("oci")
            .setRootfs("/var/lib/fornax/rootfs/app").build()),
        argumentSet("image, no class", RuntimeSpec.newBuilder().setImage("nginx").build()));
  }

  @ParameterizedTest
  @MethodSource("runtimes")
  void eachRuntimeClassWithWhatItNeedsPasses(RuntimeSpec runtime) {
    assertDoesNotThrow(() -> Validator.validateApplication(withSpec(s -> s.setRuntime(runtime))));
  }

  @Test
  void theFirstProblemInFieldOrderIsReported() {
    Application twoProblems = withSpec(s -> s.setPorts(0, port("main", 0))
        .setScaling(s.getScaling().toBuilder().setBurst(0)));
    assertEquals("spec.ports[0].port must be 1..65535 (got 0)",
        messageOf(() -> Validator.validateApplication(twoProblems)));
    Application threeProblems = twoProblems.toBuilder()
        .setMeta(twoProblems.getMeta().toBuilder().setName("")).build();
    assertEquals("metadata.name is required",
        messageOf(() -> Validator.validateApplication(threeProblems)));
  }

  @Test
  void mapProblemsAreReportedInKeyOrderWhateverTheInsertionOrder() {
    Application app = withRuntime(r -> r.putEnv("Z-2", "").putEnv("A-1", ""));
    assertEquals("spec.runtime.env key \"A-1\" is not a valid variable name: must match"
            + " [A-Za-z_][A-Za-z0-9_]*, at most 256 characters",
        messageOf(() -> Validator.validateApplication(app)));
  }

  @Test
  void anEmptyManifestWithACommandIsValidOnceDefaultsApply() {
    Application minimal = Application.newBuilder()
        .setMeta(io.fornax.api.proto.ObjectMeta.newBuilder().setName("hello"))
        .setSpec(io.fornax.api.proto.ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/hello")))
        .build();
    assertEquals("spec.scaling.maxInstances must be >= 1 (got 0)",
        messageOf(() -> Validator.validateApplication(minimal)));
    assertDoesNotThrow(
        () -> Validator.validateApplication(Defaults.applyApplicationDefaults(minimal)));
  }

  private static PortSpec port(String name, int number) {
    return PortSpec.newBuilder().setName(name).setPort(number).setProtocol("tcp").build();
  }

  private static Map<String, String> env(int n) {
    Map<String, String> env = new HashMap<>();
    IntStream.range(0, n).forEach(i -> env.put("VAR_" + i, "v"));
    return env;
  }

  private static Map<String, String> labels(int n) {
    Map<String, String> labels = new HashMap<>();
    IntStream.range(0, n).forEach(i -> labels.put("k" + i, "v"));
    return labels;
  }
}
