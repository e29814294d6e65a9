package io.fornax.api.validation;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.PortRange;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.SessionPolicy;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.TenantQuota;
import java.util.function.UnaryOperator;

/** Valid resources for tests to break one field at a time. */
final class Manifests {
  private Manifests() {}

  /** A small process application with one port, as the server sees it after defaults. */
  static Application application() {
    return Defaults.applyApplicationDefaults(Application.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName("echo").setTenant("acme").putLabels("team", "edge"))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/cat").addArgs("-u")
                .putEnv("MODE", "echo"))
            .addPorts(PortSpec.newBuilder().setName("main").setPort(8080))
            .setScaling(ScalingPolicy.newBuilder().setMinInstances(1).setIdleSessionsLow(1))
            .putNodeSelector("zone", "a"))
        .build());
  }

  static Application withMeta(UnaryOperator<ObjectMeta.Builder> change) {
    Application a = application();
    return a.toBuilder().setMeta(change.apply(a.getMeta().toBuilder())).build();
  }

  static Application withSpec(UnaryOperator<ApplicationSpec.Builder> change) {
    Application a = application();
    return a.toBuilder().setSpec(change.apply(a.getSpec().toBuilder())).build();
  }

  static Application withRuntime(UnaryOperator<RuntimeSpec.Builder> change) {
    return withSpec(s -> s.setRuntime(change.apply(s.getRuntime().toBuilder())));
  }

  static Application withScaling(UnaryOperator<ScalingPolicy.Builder> change) {
    return withSpec(s -> s.setScaling(change.apply(s.getScaling().toBuilder())));
  }

  static Application withSession(UnaryOperator<SessionPolicy.Builder> change) {
    return withSpec(s -> s.setSession(change.apply(s.getSession().toBuilder())));
  }

  static Node node() {
    return Node.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName("n1").putLabels("zone", "a"))
        .setSpec(NodeSpec.newBuilder().setAddress("10.0.0.7:7100")
            .setIngressPortRange(PortRange.newBuilder().setFrom(20000).setTo(20999))
            .setCapacity(Capacity.newBuilder().setCpuMillis(4000).setMemoryBytes(8L << 30)
                .setMaxInstances(50)))
        .build();
  }

  static Node withNodeSpec(UnaryOperator<NodeSpec.Builder> change) {
    Node n = node();
    return n.toBuilder().setSpec(change.apply(n.getSpec().toBuilder())).build();
  }

  static Tenant tenant() {
    return Tenant.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName("acme").putLabels("tier", "gold"))
        .setQuota(TenantQuota.newBuilder().setMaxApplications(10).setMaxSessions(1000)
            .setMaxInstances(100).setMaxCpuMillis(64_000).setMaxMemoryBytes(128L << 30))
        .build();
  }

  static OpenSessionRequest openSession() {
    return OpenSessionRequest.newBuilder().setApplication("echo").setIdempotencyKey("req-1")
        .putLabels("user", "u42").build();
  }
}
