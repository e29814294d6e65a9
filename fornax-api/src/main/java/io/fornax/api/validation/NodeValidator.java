package io.fornax.api.validation;

import static io.fornax.api.validation.Require.atMost;
import static io.fornax.api.validation.Require.quoted;
import static io.fornax.api.validation.Require.require;
import static io.fornax.api.validation.Require.u32;
import static io.fornax.api.validation.Require.u64;

import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import java.util.regex.Pattern;

/** A node registration: where the node is reached and what it can hold. */
final class NodeValidator {
  /** A DNS name or IPv4 address: dot-separated labels of letters, digits and '-'. */
  private static final Pattern HOST = Pattern.compile(
      "[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*");
  /** An IPv6 address, loosely: hex groups and dots around 2 to 7 colons. */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f.]*(:[0-9A-Fa-f.]*){2,7}");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  private NodeValidator() {}

  static void validate(Node n) {
    MetaValidator.name("metadata.name", n.getMeta().getName());
    MetaValidator.labels("metadata.labels", n.getMeta().getLabelsMap());
    NodeSpec spec = n.getSpec();
    address(spec.getAddress());
    ingressPortRange(spec);
    capacity(spec.getCapacity());
  }

  /** An agent's {@code lostLeader}: empty, or a replica's API address (host:port). */
  static void lostLeader(String address) {
    if (address.isEmpty()) {
      return;
    }
    require(address.length() <= Limits.MAX_ADDRESS_LENGTH,
        "lostLeader is %d characters; at most %d are allowed", address.length(),
        Limits.MAX_ADDRESS_LENGTH);
    require(isHostPort(address), "lostLeader %s is not a valid host:port", quoted(address));
  }

  private static void address(String address) {
    require(!address.isEmpty(), "spec.address is required");
    require(address.length() <= Limits.MAX_ADDRESS_LENGTH,
        "spec.address is %d characters; at most %d are allowed", address.length(),
        Limits.MAX_ADDRESS_LENGTH);
    require(isHostPort(address), "spec.address %s is not a valid host or host:port (a DNS name,"
        + " an IPv4 address or an [IPv6] address, then an optional port 1..65535)", quoted(address));
  }

  private static boolean isHostPort(String address) {
    if (address.startsWith("[")) {
      int end = address.indexOf(']');
      if (end < 0 || !IPV6.matcher(address.substring(1, end)).matches()) {
        return false;
      }
      String rest = address.substring(end + 1);
      return rest.isEmpty() || (rest.startsWith(":") && isPort(rest.substring(1)));
    }
    int colon = address.indexOf(':');
    if (colon != address.lastIndexOf(':')) {
      // Several colons and no brackets: a bare IPv6 address, which cannot carry a port.
      return IPV6.matcher(address).matches();
    }
    String host = colon < 0 ? address : address.substring(0, colon);
    return HOST.matcher(host).matches() && (colon < 0 || isPort(address.substring(colon + 1)));
  }

  private static boolean isPort(String s) {
    if (!PORT.matcher(s).matches()) {
      return false;
    }
    int port = Integer.parseInt(s);
    return port >= Limits.MIN_PORT && port <= Limits.MAX_PORT;
  }

  /** Host ports for session endpoints; a simulated node forwards nothing and may leave it 0..0. */
  private static void ingressPortRange(NodeSpec spec) {
    long from = u32(spec.getIngressPortRange().getFrom());
    long to = u32(spec.getIngressPortRange().getTo());
    if (spec.getSimulated() && from == 0 && to == 0) {
      return;
    }
    require(from != 0 || to != 0, "spec.ingressPortRange is required unless spec.simulated is set");
    require(from >= Limits.MIN_PORT && from <= to && to <= Limits.MAX_PORT,
        "spec.ingressPortRange must satisfy %d <= from <= to <= %d (got %d..%d)", Limits.MIN_PORT,
        Limits.MAX_PORT, from, to);
  }

  private static void capacity(Capacity c) {
    long cpu = u32(c.getCpuMillis());
    require(cpu >= 1 && cpu <= Limits.MAX_NODE_CPU_MILLIS,
        "spec.capacity.cpu must be > 0 and <= %d millicores (got %d)", Limits.MAX_NODE_CPU_MILLIS,
        cpu);
    require(c.getMemoryBytes() != 0 && atMost(c.getMemoryBytes(), Limits.MAX_NODE_MEMORY_BYTES),
        "spec.capacity.memory must be > 0 and <= %d bytes (got %s)", Limits.MAX_NODE_MEMORY_BYTES,
        u64(c.getMemoryBytes()));
    long instances = u32(c.getMaxInstances());
    require(instances >= 1 && instances <= Limits.MAX_NODE_INSTANCES,
        "spec.capacity.maxInstances must be > 0 and <= %d (got %d)", Limits.MAX_NODE_INSTANCES,
        instances);
  }
}
