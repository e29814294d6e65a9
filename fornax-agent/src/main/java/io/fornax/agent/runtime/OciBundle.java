package io.fornax.agent.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an OCI runtime bundle ({@code config.json} + root filesystem) for one instance. The
 * root filesystem is the application's {@code rootfs} directory, or by default an empty one
 * with host directories bound read-only at the same paths ({@code /usr}, {@code /bin},
 * {@code /lib}, {@code /lib64}, {@code /etc} unless configured otherwise: enough for local
 * applications). The container gets its own pid, ipc, uts and mount namespaces, and with an
 * isolated network its own network namespace (only loopback, which runc brings up) with the
 * instance's {@code run/} folder bound at {@code /run/fornax}: the session server's Unix socket
 * is there (see {@link NetBridges}).
 */
final class OciBundle {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
      "CAP_FOWNER", "CAP_NET_BIND_SERVICE", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_AUDIT_WRITE");

  private OciBundle() {}

  /** Where the instance's {@code run/} folder appears inside an isolated container. */
  static final String RUN_MOUNT = "/run/fornax";

  /**
   * @param env the container's environment (the agent's variables, possibly rewritten)
   * @param hostDirs host directories bound read-only into a default root filesystem
   * @param isolatedNetwork whether the container gets its own network namespace
   */
  static Path write(InstanceSpec spec, Map<String, String> env, List<String> hostDirs,
      boolean isolatedNetwork) throws IOException {
    Path bundle = spec.dir().resolve("bundle");
    Files.createDirectories(bundle);
    String rootfs = spec.runtime().getRootfs();
    Path root = rootfs.isEmpty() ? bundle.resolve("rootfs") : Path.of(rootfs);
    if (rootfs.isEmpty()) {
      for (String d : List.of("proc", "dev", "sys", "tmp", "run/fornax")) {
        Files.createDirectories(root.resolve(d));
      }
      for (String d : hostDirs) {
        Files.createDirectories(root.resolve(d.substring(1)));
      }
    }
    ObjectNode c = JSON.createObjectNode();
    c.put("ociVersion", "1.0.2");
    c.set("process", process(spec, env));
    ObjectNode r = c.putObject("root");
    r.put("path", root.toAbsolutePath().toString());
    r.put("readonly", rootfs.isEmpty());
    c.put("hostname", spec.id());
    ArrayNode mounts = mounts(rootfs.isEmpty() ? hostDirs : List.of());
    if (isolatedNetwork) {
      ObjectNode run = mounts.addObject().put("destination", RUN_MOUNT).put("type", "bind")
          .put("source", NetBridges.runDir(spec.dir()).toAbsolutePath().toString());
      run.putArray("options").add("rbind").add("rw");
    }
    c.set("mounts", mounts);
    c.set("linux", linux(spec, isolatedNetwork));
    Files.writeString(bundle.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsString(c));
    return bundle;
  }

  private static ObjectNode process(InstanceSpec spec, Map<String, String> agentEnv) {
    ObjectNode p = JSON.createObjectNode();
    p.put("terminal", false);
    p.putObject("user").put("uid", 0).put("gid", 0);
    ArrayNode args = p.putArray("args");
    args.add(spec.runtime().getCommand());
    spec.runtime().getArgsList().forEach(args::add);
    Map<String, String> env = new TreeMap<>(spec.runtime().getEnvMap());
    env.putAll(agentEnv);
    env.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    ArrayNode e = p.putArray("env");
    env.forEach((k, v) -> e.add(k + "=" + v));
    String wd = spec.runtime().getWorkingDir();
    p.put("cwd", wd.isEmpty() ? "/tmp" : wd);
    ObjectNode caps = p.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      ArrayNode a = caps.putArray(set);
      CAPS.forEach(a::add);
    }
    p.put("noNewPrivileges", true);
    return p;
  }

  private static ArrayNode mounts(List<String> hostDirs) {
    ArrayNode m = JSON.createArrayNode();
    m.addObject().put("destination", "/proc").put("type", "proc").put("source", "proc");
    ObjectNode dev = m.addObject().put("destination", "/dev").put("type", "tmpfs").put("source", "tmpfs");
    dev.putArray("options").add("nosuid").add("strictatime").add("mode=755").add("size=65536k");
    ObjectNode tmp = m.addObject().put("destination", "/tmp").put("type", "tmpfs").put("source", "tmpfs");
    tmp.putArray("options").add("nosuid").add("nodev").add("mode=1777");
    for (String d : hostDirs) {
      if (Files.isDirectory(Path.of(d))) {
        ObjectNode b = m.addObject().put("destination", d).put("type", "bind").put("source", d);
        b.putArray("options").add("rbind").add("ro");
      }
    }
    return m;
  }

  private static ObjectNode linux(InstanceSpec spec, boolean isolatedNetwork) {
    ObjectNode l = JSON.createObjectNode();
    ArrayNode ns = l.putArray("namespaces");
    for (String t : List.of("pid", "ipc", "uts", "mount")) {
      ns.addObject().put("type", t);
    }
    if (isolatedNetwork) {
      ns.addObject().put("type", "network");
    }
    ObjectNode res = l.putObject("resources");
    if (spec.resources().getMemoryBytes() > 0) {
      res.putObject("memory").put("limit", spec.resources().getMemoryBytes());
    }
    if (spec.resources().getCpuMillis() > 0) {
      res.putObject("cpu").put("period", 100_000).put("quota", spec.resources().getCpuMillis() * 100L);
    }
    ArrayNode masked = l.putArray("maskedPaths");
    List.of("/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware").forEach(masked::add);
    return l;
  }
}
