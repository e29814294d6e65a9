package io.fornax.it;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import java.util.List;

/** Application specs the scenarios use. */
final class TestApps {
  private TestApps() {}

  /** For simulated nodes: nothing runs, so the command is a placeholder. */
  static Application simulated(String name, ScalingPolicy scaling) {
    return Application.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/true"))
            .addPorts(PortSpec.newBuilder().setName("main").setPort(7000))
            .setScaling(scaling))
        .build();
  }

  /** The echo example as a real process (java io.fornax.examples.EchoApp), marked as the suite's. */
  static Application echo(String name, ScalingPolicy scaling) {
    List<String> cmd = Reactor.echoCommand();
    return Application.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand(cmd.get(0))
                .addAllArgs(cmd.subList(1, cmd.size())))
            .addPorts(PortSpec.newBuilder().setName("main").setPort(7000))
            .setScaling(scaling))
        .build();
  }

  static ScalingPolicy scaling(int min, int max, int idleLow, int idleHigh) {
    return ScalingPolicy.newBuilder().setMinInstances(min).setMaxInstances(max)
        .setIdleSessionsLow(idleLow).setIdleSessionsHigh(idleHigh).build();
  }
}
