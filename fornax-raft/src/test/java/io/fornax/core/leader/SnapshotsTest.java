package io.fornax.core.leader;

import static io.fornax.core.command.TestCommands.ADMIN;
import static io.fornax.core.command.TestCommands.createTenant;
import static io.fornax.core.command.TestCommands.openSession;
import static io.fornax.core.command.TestCommands.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CreateApplicationCmd;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeReportCmd;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PlaceInstance;
import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.RegisterNodeCmd;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionSpec;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.SessionStatus;
import io.fornax.core.command.AppliedLog;
import io.fornax.core.command.TestCommands;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.Table;
import io.fornax.scheduler.Scheduler;
import io.fornax.scheduler.SchedulerConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A plan sees the warm opens the leader offered and has not committed: their instances are
 * taken, so a waiting session is not bound there (the warm open would then be sent the ordinary
 * way and its session opened twice).
 */
class SnapshotsTest {
  private final AppliedLog log = new AppliedLog();
  private final ResourceState state = log.state;
  private void apply(Command c) {
    log.apply(c);
  }

  @Test
  void anOfferedInstanceIsNotBoundByAPlan() {
    apply(createTenant("t", 1));
    apply(Command.newBuilder().setNowMs(1).setCaller(tenant("t")).setCreateApplication(
        CreateApplicationCmd.newBuilder().setApplication(TestCommands.app("t", "web", 1))).build());
    apply(Command.newBuilder().setNowMs(1).setCaller(ADMIN).setRegisterNode(RegisterNodeCmd
        .newBuilder().setNode(Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n1"))
            .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setCapacity(Capacity
                .newBuilder().setCpuMillis(1000).setMemoryBytes(1 << 30).setMaxInstances(10)))))
        .build());
    apply(openSession(tenant("t"), "t", "web", "waiting", "", 2));
    apply(Command.newBuilder().setNowMs(3).setCaller(ADMIN).setApplyPlan(PlanCmd.newBuilder()
        .addPlace(PlaceInstance.newBuilder().setTenant("t").setApplication("web").setName("i1")
            .setNode("n1"))).build());
    apply(Command.newBuilder().setNowMs(4).setCaller(ADMIN).setNodeReport(NodeReportCmd
        .newBuilder().setNode("n1").addInstances(InstanceReport.newBuilder().setTenant("t")
            .setName("i1").setState(InstanceState.INSTANCE_READY))).build());
    assertEquals(SessionState.SESSION_PENDING,
        state.<Session>get(Table.SESSIONS, "t/waiting").getStatus().getState());

    Scheduler scheduler = new Scheduler(SchedulerConfig.DEFAULT);
    Clock clock = Clock.fixed(Instant.ofEpochMilli(5), ZoneOffset.UTC);
    PlanCmd free = scheduler.schedule(Snapshots.of(state), clock, 1);
    assertEquals(1, free.getBindCount(), free.toString());
    assertEquals("i1", free.getBind(0).getInstance());

    Session offered = Session.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setTenant("t").setName("offered"))
        .setSpec(SessionSpec.newBuilder().setApplication("web"))
        .setStatus(SessionStatus.newBuilder().setState(SessionState.SESSION_STARTING)
            .setInstance("i1").setNode("n1"))
        .build();
    PlanCmd held = scheduler.schedule(Snapshots.of(state, List.of(offered)), clock, 1);
    assertTrue(held.getBindList().stream().noneMatch(b -> b.getInstance().equals("i1")),
        held.toString());
  }
}
