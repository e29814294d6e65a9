package io.fornax.shell.manifest;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.ResourceSpec;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.SessionPolicy;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.TenantQuota;

/** Binds the fields of an {@code Application} or {@code Tenant} document to its protobuf. */
final class ApplicationBinder {
  private ApplicationBinder() {}

  static Application application(Fields doc) {
    ObjectMeta meta = ObjectMeta.newBuilder()
        .setName(doc.string("name", ""))
        .setTenant(doc.string("tenant", ""))
        .putAllLabels(doc.stringMap("labels"))
        .build();
    ApplicationSpec spec = spec(doc.object("spec"));
    doc.done();
    return Application.newBuilder().setMeta(meta).setSpec(spec).build();
  }

  static Tenant tenant(Fields doc) {
    ObjectMeta meta = ObjectMeta.newBuilder()
        .setName(doc.string("name", ""))
        .putAllLabels(doc.stringMap("labels"))
        .build();
    Fields q = doc.object("quota");
    TenantQuota quota = TenantQuota.newBuilder()
        .setMaxApplications((int) q.count("maxApplications"))
        .setMaxSessions((int) q.count("maxSessions"))
        .setMaxInstances((int) q.count("maxInstances"))
        .setMaxCpuMillis(q.cpuMillis("maxCpu"))
        .setMaxMemoryBytes(q.memoryBytes("maxMemory"))
        .build();
    q.done();
    doc.done();
    return Tenant.newBuilder().setMeta(meta).setQuota(quota).build();
  }

  private static ApplicationSpec spec(Fields spec) {
    ApplicationSpec.Builder b = ApplicationSpec.newBuilder()
        .setRuntime(runtime(spec.object("runtime")));
    for (Fields p : spec.objects("ports")) {
      b.addPorts(PortSpec.newBuilder().setName(p.string("name", ""))
          .setPort((int) p.count("port")).setProtocol(p.string("protocol", "")));
      p.done();
    }
    Fields r = spec.object("resources");
    b.setResources(ResourceSpec.newBuilder().setCpuMillis((int) Math.min(r.cpuMillis("cpu"),
        Integer.MAX_VALUE)).setMemoryBytes(r.memoryBytes("memory")));
    r.done();
    b.setScaling(scaling(spec.object("scaling")));
    b.setSession(session(spec.object("session")));
    b.putAllNodeSelector(spec.stringMap("nodeSelector"));
    spec.done();
    return b.build();
  }

  private static RuntimeSpec runtime(Fields r) {
    RuntimeSpec.Builder b = RuntimeSpec.newBuilder()
        .setCommand(r.string("command", ""))
        .addAllArgs(r.stringList("args"))
        .putAllEnv(r.stringMap("env"))
        .setWorkingDir(r.string("workingDir", ""))
        .setImage(r.string("image", ""))
        .setRootfs(r.string("rootfs", ""))
        .setRuntimeClass(r.string("runtimeClass", ""));
    r.done();
    return b.build();
  }

  private static ScalingPolicy scaling(Fields s) {
    ScalingPolicy.Builder b = ScalingPolicy.newBuilder()
        .setMinInstances((int) s.count("minInstances"))
        .setMaxInstances((int) s.count("maxInstances"))
        .setIdleSessionsLow((int) s.count("idleSessionsLow"))
        .setIdleSessionsHigh((int) s.count("idleSessionsHigh"))
        .setBurst((int) s.count("burst"))
        .setIdleTimeoutMs(s.durationMs("idleTimeout"))
        .setStandby(s.bool("standby"));
    s.done();
    return b.build();
  }

  private static SessionPolicy session(Fields s) {
    SessionPolicy.Builder b = SessionPolicy.newBuilder()
        .setSessionsPerInstance((int) s.count("sessionsPerInstance"))
        .setOpenTimeoutMs(s.durationMs("openTimeout"))
        .setCloseGracePeriodMs(s.durationMs("closeGracePeriod"))
        .setKillInstanceOnClose(s.bool("killInstanceOnClose"));
    s.done();
    return b.build();
  }
}
