package io.fornax.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fornax.api.FornaxException;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PortRange;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A node agent's configuration (YAML; conf/local/agent.yaml documents every key). */
public final class AgentConfig {
  /** Node name, unique in the cluster. */
  public String node;
  /** Core API addresses (any replica; the agent finds the leader). */
  public List<String> cores = new ArrayList<>();
  /** File holding the admin token (the agent acts for the cluster operator). */
  public String tokenFile;
  /** Address clients use to reach this node's ingress ports. */
  public String address = "127.0.0.1";
  public String dataDir;
  /** Default runtime for applications that do not name one: "process" or "oci". */
  public String runtime = "process";
  /** The OCI runtime binary (runc, crun, ...) used for "oci" applications. */
  public String ociRuntime = "runc";
  /**
   * Network of OCI containers: "isolated" (own network namespace with only loopback; the agent
   * bridges the session server and the instance's ports into it) or "host" (the node's).
   */
  public String ociNetwork = "isolated";
  /** Host directories bound read-only, at the same path, into containers with the default root. */
  public List<String> ociHostDirs = new ArrayList<>(List.of("/usr", "/bin", "/lib", "/lib64", "/etc"));
  public Capacity capacity = new Capacity();
  public Ports ingressPorts = new Ports();
  /** An instance that stops heartbeating to the session server loses its sessions after this. */
  public Duration sessionHeartbeatTimeout = Duration.ofSeconds(10);
  /**
   * Loopback port of the session server instances connect to. 0: a free port on first start,
   * then the same one again after restarts (kept in the data dir) while it is free.
   */
  public int sessionServerPort;
  /** Largest stdout/stderr file per instance (bytes; one older file is kept too). */
  public long maxLogBytes = 4L << 20;
  /** Where cgroup v1 controllers are mounted; limits apply only if writable. */
  public String cgroupRoot = "/sys/fs/cgroup";

  public static final class Capacity {
    /** 0 = detected: all cores. */
    public int cpuMillis;
    /** 0 = detected: physical memory. */
    public long memoryBytes;
    public int maxInstances = 50;
  }

  public static final class Ports {
    public int from = 20000;
    public int to = 20999;
  }

  /** The node as this agent registers it. */
  Node node() {
    return Node.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName(node))
        .setSpec(NodeSpec.newBuilder().setAddress(address)
            .setIngressPortRange(PortRange.newBuilder().setFrom(ingressPorts.from)
                .setTo(ingressPorts.to))
            .setCapacity(io.fornax.api.proto.Capacity.newBuilder().setCpuMillis(cpuMillis())
                .setMemoryBytes(memoryBytes()).setMaxInstances(capacity.maxInstances)))
        .build();
  }

  int cpuMillis() {
    return capacity.cpuMillis > 0 ? capacity.cpuMillis : Runtime.getRuntime().availableProcessors() * 1000;
  }

  long memoryBytes() {
    if (capacity.memoryBytes > 0) {
      return capacity.memoryBytes;
    }
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getTotalMemorySize() : 4L << 30;
  }

  public static AgentConfig load(Path file) {
    SimpleModule durations = new SimpleModule();
    durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
      @Override
      public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        return io.fornax.api.Durations.parse(p.getValueAsString());
      }
    });
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).registerModule(durations)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    AgentConfig c;
    try {
      c = yaml.readValue(file.toFile(), AgentConfig.class);
    } catch (JsonMappingException e) {
      throw new FornaxException(ErrorCode.INVALID_ARGUMENT,
          file + ": " + e.getOriginalMessage() + " at " + e.getPathReference());
    } catch (IOException e) {
      throw FornaxException.invalid("cannot read %s: %s", file, e.getMessage());
    }
    c.validate(file.toString());
    return c;
  }

  void validate(String source) {
    check(node != null && !node.isBlank(), source, "node is required");
    check(!cores.isEmpty(), source, "cores must list at least one core API address");
    check(tokenFile != null, source, "tokenFile is required");
    check(dataDir != null, source, "dataDir is required");
    check(runtime.equals("process") || runtime.equals("oci"), source,
        "runtime must be \"process\" or \"oci\"");
    check(ociNetwork.equals("isolated") || ociNetwork.equals("host"), source,
        "ociNetwork must be \"isolated\" or \"host\"");
    for (String d : ociHostDirs) {
      check(d.startsWith("/") && !d.contains(".."), source,
          "ociHostDirs entries must be absolute paths without \"..\" (got \"" + d + "\")");
    }
    check(sessionServerPort >= 0 && sessionServerPort <= 65535, source,
        "sessionServerPort must be 0 (any free port) or a port number");
    check(ingressPorts.from >= 1 && ingressPorts.from <= ingressPorts.to && ingressPorts.to <= 65535,
        source, "ingressPorts must satisfy 1 <= from <= to <= 65535");
  }

  private static void check(boolean ok, String source, String message) {
    if (!ok) {
      throw FornaxException.invalid("%s: %s", source, message);
    }
  }
}
