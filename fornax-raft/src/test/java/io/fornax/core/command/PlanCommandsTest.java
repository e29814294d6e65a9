package io.fornax.core.command;

import static io.fornax.core.command.TestCommands.ADMIN;
import static io.fornax.core.command.TestCommands.createApp;
import static io.fornax.core.command.TestCommands.createTenant;
import static io.fornax.core.command.TestCommands.openSession;
import static io.fornax.core.command.TestCommands.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.proto.BindSession;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceAction;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PlaceInstance;
import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.PlanResult;
import io.fornax.api.proto.RegisterNodeCmd;
import io.fornax.api.proto.ResourceSpec;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionNote;
import io.fornax.api.proto.SessionState;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.StateTxn;
import io.fornax.core.state.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plans are re-checked action by action when applied. */
class PlanCommandsTest {
  private AppliedLog log;
  private ResourceState state;

  @BeforeEach
  void setUp() {
    log = new AppliedLog();
    state = log.state;
    apply(createTenant("t", 1));
    apply(createApp(tenant("t"), "t", "web", 1)); // maxInstances 3, one session per instance
    apply(Command.newBuilder().setNowMs(1).setCaller(ADMIN).setRegisterNode(RegisterNodeCmd
        .newBuilder().setNode(Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n1"))
            .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setCapacity(Capacity
                .newBuilder().setCpuMillis(250).setMemoryBytes(1 << 20).setMaxInstances(10)))))
        .build());
  }

  private CommandResult apply(Command c) {
    return log.apply(c);
  }

  private PlanResult plan(PlanCmd.Builder plan) {
    return apply(Command.newBuilder().setNowMs(100).setCaller(ADMIN).setApplyPlan(plan).build())
        .getPlan();
  }

  private static PlaceInstance place(String name) {
    return PlaceInstance.newBuilder().setTenant("t").setApplication("web").setName(name)
        .setNode("n1").setResources(ResourceSpec.newBuilder().setCpuMillis(100)).build();
  }

  @Test
  void placementsBeyondNodeCapacityAreSkipped() {
    PlanResult r = plan(PlanCmd.newBuilder().addPlace(place("i1")).addPlace(place("i2"))
        .addPlace(place("i3")));
    assertEquals(2, r.getApplied());
    assertEquals(1, r.getSkipped());
    assertEquals("place i3: node n1 has no room", r.getSkippedReasons(0));
    Instance i1 = state.get(Table.INSTANCES, "t/i1");
    assertEquals(InstanceState.INSTANCE_PENDING, i1.getState());
  }

  @Test
  void bindingMovesTheSessionAndFillsTheInstance() {
    plan(PlanCmd.newBuilder().addPlace(place("i1")));
    apply(openSession(tenant("t"), "t", "web", "s1", "", 50));
    apply(openSession(tenant("t"), "t", "web", "s2", "", 50));
    PlanResult r = plan(PlanCmd.newBuilder()
        .addBind(BindSession.newBuilder().setTenant("t").setSession("s1").setInstance("i1"))
        .addBind(BindSession.newBuilder().setTenant("t").setSession("s2").setInstance("i1")));
    assertEquals(1, r.getApplied());
    assertEquals("bind s2: instance i1 is full", r.getSkippedReasons(0));
    Session s1 = state.get(Table.SESSIONS, "t/s1");
    assertEquals(SessionState.SESSION_STARTING, s1.getStatus().getState());
    assertEquals("n1", s1.getStatus().getNode());

    PlanResult term = plan(PlanCmd.newBuilder().addTerminate(InstanceAction.newBuilder()
        .setTenant("t").setInstance("i1").setReason("scale down")));
    assertEquals(1, term.getSkipped(), "never an instance with a session");

    plan(PlanCmd.newBuilder().addTimeout(SessionNote.newBuilder().setTenant("t").setSession("s1")
        .setReason("too slow")));
    Session timedOut = state.get(Table.SESSIONS, "t/s1");
    assertEquals(SessionState.SESSION_TIMEOUT, timedOut.getStatus().getState());
    Instance released = state.get(Table.INSTANCES, "t/i1");
    assertEquals(0, released.getSessionsCount(), "a timed-out session releases its instance");
  }

  @Test
  void aPlanOfAnOldTermChangesNothing() {
    var r = new CommandApplier().apply(new StateTxn(state), Command.newBuilder().setNowMs(1).setCaller(ADMIN)
        .setFenceTerm(7).setApplyPlan(PlanCmd.newBuilder().addPlace(place("i1"))).build(), 8, 99);
    assertEquals(io.fornax.api.proto.ErrorCode.FENCED, r.getError().getCode());
  }

  @Test
  void onlyTheAdminMayApplyPlans() {
    var r = apply(Command.newBuilder().setNowMs(1).setCaller(tenant("t"))
        .setApplyPlan(PlanCmd.newBuilder().addPlace(place("i1"))).build());
    assertEquals(io.fornax.api.proto.ErrorCode.PERMISSION_DENIED, r.getError().getCode());
  }
}
