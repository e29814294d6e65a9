package io.fornax.api.validation;

import static io.fornax.api.validation.Check.check;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.ResourceSpec;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.SessionPolicy;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of an application manifest, after {@link Defaults} filled unset fields. */
final class ApplicationChecks {
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private ApplicationChecks() {}

  static void validate(Application app) {
    Validator.validateName("metadata.name", app.getMeta().getName());
    Validator.validateLabels("metadata.labels", app.getMeta().getLabelsMap());
    runtime(app.getSpec().getRuntime());
    ports(app.getSpec().getPortsList());
    resources(app.getSpec().getResources());
    scaling(app.getSpec().getScaling());
    session(app.getSpec().getSession());
    Validator.validateLabels("spec.nodeSelector", app.getSpec().getNodeSelectorMap());
  }

  private static void runtime(RuntimeSpec r) {
    String cls = r.getRuntimeClass();
    check(cls.isEmpty() || cls.equals("process") || cls.equals("oci"),
        "spec.runtime.runtimeClass must be \"process\" or \"oci\" (got \"%s\")", Check.shorten(cls));
    boolean oci = cls.equals("oci") || (cls.isEmpty() && r.getCommand().isEmpty());
    if (oci) {
      check(!r.getImage().isEmpty() || !r.getRootfs().isEmpty(),
          "spec.runtime needs a command (process runtime) or an image or rootfs (oci runtime)");
    } else {
      check(!r.getCommand().isEmpty(), "spec.runtime.command is required for the process runtime");
    }
    check(r.getCommand().length() <= Limits.MAX_COMMAND, "spec.runtime.command is longer than %d"
        + " characters", Limits.MAX_COMMAND);
    check(r.getArgsCount() <= Limits.MAX_ARGS, "spec.runtime.args has %d items; at most %d are"
        + " allowed", r.getArgsCount(), Limits.MAX_ARGS);
    for (int i = 0; i < r.getArgsCount(); i++) {
      check(r.getArgs(i).length() <= Limits.MAX_ARG, "spec.runtime.args[%d] is longer than %d"
          + " characters", i, Limits.MAX_ARG);
    }
    env(r.getEnvMap());
    check(r.getWorkingDir().length() <= Limits.MAX_PATH
            && r.getImage().length() <= Limits.MAX_PATH && r.getRootfs().length() <= Limits.MAX_PATH,
        "spec.runtime paths (workingDir, image, rootfs) must be at most %d characters",
        Limits.MAX_PATH);
  }

  private static void env(Map<String, String> env) {
    check(env.size() <= Limits.MAX_ENV, "spec.runtime.env has %d entries; at most %d are allowed",
        env.size(), Limits.MAX_ENV);
    for (Map.Entry<String, String> e : env.entrySet()) {
      check(e.getKey().length() <= Limits.MAX_ENV_KEY && ENV_KEY.matcher(e.getKey()).matches(),
          "spec.runtime.env key \"%s\" is not a valid variable name", Check.shorten(e.getKey()));
      check(e.getValue().length() <= Limits.MAX_ENV_VALUE,
          "spec.runtime.env[%s] is %d characters; at most %d are allowed", e.getKey(),
          e.getValue().length(), Limits.MAX_ENV_VALUE);
    }
  }

  private static void ports(java.util.List<PortSpec> ports) {
    check(ports.size() <= Limits.MAX_PORTS, "spec.ports has %d entries; at most %d are allowed",
        ports.size(), Limits.MAX_PORTS);
    Set<String> names = new HashSet<>();
    Set<Integer> numbers = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      PortSpec p = ports.get(i);
      String field = "spec.ports[" + i + "]";
      Validator.validateName(field + ".name", p.getName());
      check(p.getPort() >= 1 && p.getPort() <= 65535, "%s.port must be 1..65535 (got %d)", field,
          p.getPort());
      check(p.getProtocol().equals("tcp") || p.getProtocol().equals("udp"),
          "%s.protocol must be \"tcp\" or \"udp\" (got \"%s\")", field, Check.shorten(p.getProtocol()));
      check(names.add(p.getName()), "%s.name \"%s\" is used twice", field, p.getName());
      check(numbers.add(p.getPort()), "%s.port %d is used twice", field, p.getPort());
    }
  }

  private static void resources(ResourceSpec r) {
    check(r.getCpuMillis() <= Limits.MAX_CPU_MILLIS, "spec.resources.cpuMillis must be <= %d (got"
        + " %d)", Limits.MAX_CPU_MILLIS, r.getCpuMillis());
    check(r.getMemoryBytes() <= Limits.MAX_MEMORY_BYTES, "spec.resources.memoryBytes must be <= %d"
        + " (got %d)", Limits.MAX_MEMORY_BYTES, r.getMemoryBytes());
  }

  private static void scaling(ScalingPolicy s) {
    String f = "spec.scaling.";
    check(s.getMaxInstances() >= 1, "%smaxInstances must be >= 1 (got %d)", f, s.getMaxInstances());
    check(s.getMaxInstances() <= Limits.MAX_INSTANCES, "%smaxInstances must be <= %d (got %d)", f,
        Limits.MAX_INSTANCES, s.getMaxInstances());
    check(s.getMaxInstances() >= s.getMinInstances(),
        "%smaxInstances must be >= minInstances (got %d < %d)", f, s.getMaxInstances(),
        s.getMinInstances());
    check(s.getIdleSessionsHigh() >= s.getIdleSessionsLow(),
        "%sidleSessionsHigh must be >= idleSessionsLow (got %d < %d)", f, s.getIdleSessionsHigh(),
        s.getIdleSessionsLow());
    check(s.getIdleSessionsLow() <= s.getMaxInstances(),
        "%sidleSessionsLow must be <= maxInstances (got %d > %d)", f, s.getIdleSessionsLow(),
        s.getMaxInstances());
    check(s.getBurst() >= 1, "%sburst must be >= 1 (got %d)", f, s.getBurst());
    check(s.getIdleTimeoutMs() <= Limits.MAX_IDLE_TIMEOUT_MS,
        "%sidleTimeout must be <= 7d (got %d ms)", f, s.getIdleTimeoutMs());
  }

  private static void session(SessionPolicy s) {
    String f = "spec.session.";
    check(s.getSessionsPerInstance() >= 1 && s.getSessionsPerInstance() <= Limits.MAX_SESSIONS_PER_INSTANCE,
        "%ssessionsPerInstance must be 1..%d (got %d)", f, Limits.MAX_SESSIONS_PER_INSTANCE,
        s.getSessionsPerInstance());
    check(s.getOpenTimeoutMs() >= 1 && s.getOpenTimeoutMs() <= Limits.MAX_OPEN_TIMEOUT_MS,
        "%sopenTimeout must be > 0 and <= 1h (got %d ms)", f, s.getOpenTimeoutMs());
    check(s.getCloseGracePeriodMs() <= Limits.MAX_CLOSE_GRACE_MS,
        "%scloseGracePeriod must be <= 10m (got %d ms)", f, s.getCloseGracePeriodMs());
    check(!s.getKillInstanceOnClose() || s.getSessionsPerInstance() == 1,
        "%skillInstanceOnClose needs sessionsPerInstance 1 (got %d)", f, s.getSessionsPerInstance());
  }
}
