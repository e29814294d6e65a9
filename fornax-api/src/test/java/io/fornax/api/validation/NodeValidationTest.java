package io.fornax.api.validation;

import static io.fornax.api.validation.Manifests.node;
import static io.fornax.api.validation.Manifests.withNodeSpec;
import static io.fornax.api.validation.Rejections.NAME_RULE;
import static io.fornax.api.validation.Rejections.messageOf;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.PortRange;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeValidationTest {
  private static final String ADDRESS_RULE = " is not a valid host or host:port (a DNS name, an"
      + " IPv4 address or an [IPv6] address, then an optional port 1..65535)";

  @Test
  void theFixtureIsValid() {
    assertDoesNotThrow(() -> Validator.validateNode(node()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.1:7000", "node-1", "node-1.edge.example.com:7000",
      "EDGE-7", "h:1", "h:65535", "[::1]", "[::1]:7000", "::1", "fe80::1", "[2001:db8::7]:65535"})
  void goodAddresses(String address) {
    assertDoesNotThrow(() -> Validator.validateNode(withNodeSpec(s -> s.setAddress(address))));
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "host:", ":7000", "host:0", "host:65536", "host:123456",
      "host:7x", "[::1", "[::1]7000", "[::1]:", "[host]:1", "bad host", "host_name", "-host",
      "host-", "a..b", ".a", "http://host", "host:80:90", "hôte"})
  void badAddresses(String address) {
    assertEquals("spec.address " + Require.quoted(address) + ADDRESS_RULE,
        messageOf(() -> Validator.validateNode(withNodeSpec(s -> s.setAddress(address)))));
  }

  @Test
  void anAgentConnectMayNameTheLeaderItLostByItsAddress() {
    assertDoesNotThrow(() -> Validator.validateAgentConnect(
        AgentConnectRequest.newBuilder().setNode(node()).build()));
    assertDoesNotThrow(() -> Validator.validateAgentConnect(
        AgentConnectRequest.newBuilder().setNode(node()).setLostLeader("127.0.0.1:7100").build()));
    assertEquals("lostLeader \"bad host:1\" is not a valid host:port", messageOf(() ->
        Validator.validateAgentConnect(AgentConnectRequest.newBuilder().setNode(node())
            .setLostLeader("bad host:1").build())));
    assertEquals("lostLeader is 300 characters; at most 253 are allowed", messageOf(() ->
        Validator.validateAgentConnect(AgentConnectRequest.newBuilder().setNode(node())
            .setLostLeader("a".repeat(300)).build())));
    assertEquals("spec.address is required", messageOf(() ->
        Validator.validateAgentConnect(AgentConnectRequest.newBuilder()
            .setNode(withNodeSpec(s -> s.clearAddress())).build())));
  }

  static Stream<Arguments> brokenNodes() {
    return Stream.of(
        argumentSet("name", "metadata.name \"N1\" " + NAME_RULE,
            node().toBuilder().setMeta(node().getMeta().toBuilder().setName("N1")).build()),
        argumentSet("labels", "metadata.labels[zone] value \"a b\" is not valid: must be at most 63"
                + " letters, digits, '-', '_' or '.'",
            node().toBuilder().setMeta(node().getMeta().toBuilder().putLabels("zone", "a b"))
                .build()),
        argumentSet("address required", "spec.address is required",
            withNodeSpec(s -> s.clearAddress())),
        argumentSet("address length", "spec.address is 254 characters; at most 253 are allowed",
            withNodeSpec(s -> s.setAddress("a".repeat(254)))),
        argumentSet("ingress required", "spec.ingressPortRange is required unless spec.simulated"
            + " is set", withNodeSpec(s -> s.clearIngressPortRange())),
        argumentSet("ingress order", "spec.ingressPortRange must satisfy 1 <= from <= to <= 65535"
            + " (got 9..8)", withNodeSpec(s -> s.setIngressPortRange(range(9, 8)))),
        argumentSet("ingress from 0", "spec.ingressPortRange must satisfy 1 <= from <= to <= 65535"
            + " (got 0..100)", withNodeSpec(s -> s.setIngressPortRange(range(0, 100)))),
        argumentSet("ingress to 65536", "spec.ingressPortRange must satisfy 1 <= from <= to <="
            + " 65535 (got 1..65536)", withNodeSpec(s -> s.setIngressPortRange(range(1, 65536)))),
        argumentSet("ingress shown unsigned", "spec.ingressPortRange must satisfy 1 <= from <= to"
                + " <= 65535 (got 4294967295..4294967295)",
            withNodeSpec(s -> s.setIngressPortRange(range(-1, -1)))),
        argumentSet("simulated nodes still need a sane range", "spec.ingressPortRange must"
                + " satisfy 1 <= from <= to <= 65535 (got 9..8)",
            withNodeSpec(s -> s.setSimulated(true).setIngressPortRange(range(9, 8)))),
        argumentSet("cpu", "spec.capacity.cpu must be > 0 and <= 100000000 millicores (got 0)",
            withCapacity(c -> c.setCpuMillis(0))),
        argumentSet("cpu shown unsigned", "spec.capacity.cpu must be > 0 and <= 100000000"
            + " millicores (got 4294967295)", withCapacity(c -> c.setCpuMillis(-1))),
        argumentSet("memory", "spec.capacity.memory must be > 0 and <= 1125899906842624 bytes"
            + " (got 0)", withCapacity(c -> c.setMemoryBytes(0))),
        argumentSet("memory shown unsigned", "spec.capacity.memory must be > 0 and <="
                + " 1125899906842624 bytes (got 18446744073709551615)",
            withCapacity(c -> c.setMemoryBytes(-1))),
        argumentSet("maxInstances", "spec.capacity.maxInstances must be > 0 and <= 100000 (got 0)",
            withCapacity(c -> c.setMaxInstances(0))),
        argumentSet("maxInstances bound", "spec.capacity.maxInstances must be > 0 and <= 100000"
            + " (got 100001)", withCapacity(c -> c.setMaxInstances(100_001))));
  }

  @ParameterizedTest
  @MethodSource("brokenNodes")
  void aBrokenFieldIsNamedWithWhyAndTheValue(String expected, Node node) {
    assertEquals(expected, messageOf(() -> Validator.validateNode(node)));
  }

  @Test
  void aSimulatedNodeMayLeaveTheIngressRangeUnset() {
    assertDoesNotThrow(() -> Validator.validateNode(
        withNodeSpec(s -> s.setSimulated(true).clearIngressPortRange())));
  }

  @Test
  void limitsAreInclusive() {
    assertDoesNotThrow(() -> Validator.validateNode(withNodeSpec(s -> s
        .setAddress("a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "."
            + "d".repeat(61))
        .setIngressPortRange(range(65535, 65535))
        .setCapacity(Capacity.newBuilder().setCpuMillis(100_000_000).setMemoryBytes(1L << 50)
            .setMaxInstances(100_000)))));
    assertDoesNotThrow(() -> Validator.validateNode(withNodeSpec(s -> s
        .setIngressPortRange(range(1, 1)))));
  }

  @Test
  void theFirstProblemInFieldOrderIsReported() {
    Node n = withNodeSpec(s -> s.clearAddress().clearCapacity());
    assertEquals("spec.address is required", messageOf(() -> Validator.validateNode(n)));
  }

  private static PortRange range(int from, int to) {
    return PortRange.newBuilder().setFrom(from).setTo(to).build();
  }

  private static Node withCapacity(java.util.function.UnaryOperator<Capacity.Builder> change) {
    return withNodeSpec(s -> s.setCapacity(change.apply(s.getCapacity().toBuilder())));
  }
}
