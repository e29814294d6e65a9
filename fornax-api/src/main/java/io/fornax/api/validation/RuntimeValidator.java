package io.fornax.api.validation;

import static io.fornax.api.validation.Require.quoted;
import static io.fornax.api.validation.Require.require;
import static io.fornax.api.validation.Require.requireBytes;
import static io.fornax.api.validation.Require.u32;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.RuntimeSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** {@code spec.runtime} and {@code spec.ports} of an application: what a node will run. */
final class RuntimeValidator {
  private static final Pattern ENV_KEY = Pattern.compile(Limits.ENV_KEY_PATTERN);

  private RuntimeValidator() {}

  static void runtime(RuntimeSpec r) {
    requireBytes("spec.runtime.command", r.getCommand(), Limits.MAX_COMMAND_BYTES);
    require(r.getArgsCount() <= Limits.MAX_ARGS,
        "spec.runtime.args has %d items; at most %d are allowed", r.getArgsCount(), Limits.MAX_ARGS);
    for (int i = 0; i < r.getArgsCount(); i++) {
      requireBytes("spec.runtime.args[" + i + "]", r.getArgs(i), Limits.MAX_ARG_BYTES);
    }
    env(r.getEnvMap());
    requireBytes("spec.runtime.workingDir", r.getWorkingDir(), Limits.MAX_PATH_BYTES);
    requireBytes("spec.runtime.image", r.getImage(), Limits.MAX_PATH_BYTES);
    requireBytes("spec.runtime.rootfs", r.getRootfs(), Limits.MAX_PATH_BYTES);
    runtimeClass(r);
  }

  /** Each runtime class needs something to run; an empty class lets the node pick by what is set. */
  private static void runtimeClass(RuntimeSpec r) {
    boolean hasCommand = !r.getCommand().isEmpty();
    boolean hasImage = !r.getImage().isEmpty() || !r.getRootfs().isEmpty();
    switch (r.getRuntimeClass()) {
      case "" -> require(hasCommand || hasImage, "spec.runtime needs a command (process runtime)"
          + " or an image or rootfs (oci runtime)");
      case Limits.RUNTIME_PROCESS -> require(hasCommand,
          "spec.runtime.command is required for runtimeClass \"process\"");
      case Limits.RUNTIME_OCI -> require(hasImage,
          "spec.runtime.image or spec.runtime.rootfs is required for runtimeClass \"oci\"");
      default -> throw FornaxException.invalid(
          "spec.runtime.runtimeClass must be \"process\", \"oci\" or empty (got %s)",
          quoted(r.getRuntimeClass()));
    }
  }

  private static void env(Map<String, String> env) {
    require(env.size() <= Limits.MAX_ENV_ENTRIES,
        "spec.runtime.env has %d entries; at most %d are allowed", env.size(),
        Limits.MAX_ENV_ENTRIES);
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String key = e.getKey();
      require(key.length() <= Limits.MAX_ENV_KEY_LENGTH && ENV_KEY.matcher(key).matches(),
          "spec.runtime.env key %s is not a valid variable name: must match %s, at most %d"
              + " characters", quoted(key), Limits.ENV_KEY_PATTERN, Limits.MAX_ENV_KEY_LENGTH);
      requireBytes("spec.runtime.env[" + key + "]", e.getValue(), Limits.MAX_ENV_VALUE_BYTES);
    }
  }

  static void ports(List<PortSpec> ports) {
    require(ports.size() <= Limits.MAX_PORTS, "spec.ports has %d entries; at most %d are allowed",
        ports.size(), Limits.MAX_PORTS);
    Map<String, Integer> byName = new HashMap<>();
    Map<Long, Integer> byNumber = new HashMap<>();
    for (int i = 0; i < ports.size(); i++) {
      String field = "spec.ports[" + i + "]";
      PortSpec p = ports.get(i);
      port(field, p);
      Integer first = byName.putIfAbsent(p.getName(), i);
      require(first == null, "%s.name %s is already used by spec.ports[%s]", field,
          quoted(p.getName()), first);
      first = byNumber.putIfAbsent(u32(p.getPort()), i);
      require(first == null, "%s.port %d is already used by spec.ports[%s]", field,
          u32(p.getPort()), first);
    }
  }

  private static void port(String field, PortSpec p) {
    MetaValidator.name(field + ".name", p.getName());
    long port = u32(p.getPort());
    require(port >= Limits.MIN_PORT && port <= Limits.MAX_PORT, "%s.port must be %d..%d (got %d)",
        field, Limits.MIN_PORT, Limits.MAX_PORT, port);
    String protocol = p.getProtocol();
    require(protocol.isEmpty() || protocol.equals(Limits.PROTOCOL_TCP)
            || protocol.equals(Limits.PROTOCOL_UDP),
        "%s.protocol must be \"tcp\" or \"udp\" (got %s)", field, quoted(protocol));
  }
}
