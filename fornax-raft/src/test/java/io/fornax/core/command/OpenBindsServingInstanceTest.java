package io.fornax.core.command;

import static io.fornax.core.command.TestCommands.ADMIN;
import static io.fornax.core.command.TestCommands.batch;
import static io.fornax.core.command.TestCommands.closeSession;
import static io.fornax.core.command.TestCommands.createTenant;
import static io.fornax.core.command.TestCommands.openSession;
import static io.fornax.core.command.TestCommands.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CreateApplicationCmd;
import io.fornax.api.proto.DrainNodeCmd;
import io.fornax.api.proto.Endpoint;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceAction;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeReportCmd;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.NodeTransitionCmd;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PlaceInstance;
import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.RegisterNodeCmd;
import io.fornax.api.proto.ReservedInstance;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.ResourceStateLoader;
import io.fornax.core.state.StateTxn;
import io.fornax.core.state.Table;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The warm path: an open that finds an instance able to take it binds in its own entry; every
 * other case is left PENDING to the scheduler, and the choice is the same on a rebuilt state.
 */
class OpenBindsServingInstanceTest {
  private AppliedLog log;

  /** Tenant t, application web ({@code perInstance} sessions each), nodes n1 and n2. */
  private void setUp(int perInstance) {
    log = new AppliedLog();
    log.apply(createTenant("t", 1));
    var app = TestCommands.app("t", "web", 10);
    app = app.toBuilder().setSpec(app.getSpec().toBuilder().setSession(app.getSpec().getSession()
        .toBuilder().setSessionsPerInstance(perInstance))).build();
    log.apply(Command.newBuilder().setNowMs(1).setCaller(tenant("t"))
        .setCreateApplication(CreateApplicationCmd.newBuilder().setApplication(app)).build());
    for (String n : new String[] {"n1", "n2"}) {
      log.apply(Command.newBuilder().setNowMs(1).setCaller(ADMIN).setRegisterNode(RegisterNodeCmd
          .newBuilder().setNode(Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName(n))
              .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setCapacity(Capacity
                  .newBuilder().setCpuMillis(1000).setMemoryBytes(1 << 30).setMaxInstances(10)))))
          .build());
    }
  }

  /** Places {@code name} on {@code node} and has the agent report it in {@code state}. */
  private void instance(String name, String node, InstanceState state) {
    log.apply(Command.newBuilder().setNowMs(2).setCaller(ADMIN).setApplyPlan(PlanCmd.newBuilder()
        .addPlace(PlaceInstance.newBuilder().setTenant("t").setApplication("web").setName(name)
            .setNode(node))).build());
    log.apply(Command.newBuilder().setNowMs(3).setCaller(ADMIN).setNodeReport(NodeReportCmd
        .newBuilder().setNode(node).addInstances(InstanceReport.newBuilder().setTenant("t")
            .setName(name).setState(InstanceState.INSTANCE_READY))).build());
    if (state == InstanceState.INSTANCE_STANDBY) {
      log.apply(Command.newBuilder().setNowMs(4).setCaller(ADMIN).setApplyPlan(PlanCmd.newBuilder()
          .addFreeze(InstanceAction.newBuilder().setTenant("t").setInstance(name))).build());
    }
    assertEquals(state, instance(name).getState());
  }

  private Session open(String name) {
    log.apply(openSession(tenant("t"), "t", "web", name, "", 10));
    return session(name);
  }

  private Session session(String name) {
    return log.state.get(Table.SESSIONS, "t/" + name);
  }

  private Instance instance(String name) {
    return log.state.get(Table.INSTANCES, "t/" + name);
  }

  @Test
  void anOpenTakesAReadyInstanceInItsOwnEntry() {
    setUp(1);
    instance("i1", "n1", InstanceState.INSTANCE_READY);
    var r = log.apply(openSession(tenant("t"), "t", "web", "s1", "", 10));
    Session answered = r.getResource().getSession();
    assertEquals(SessionState.SESSION_STARTING, answered.getStatus().getState(),
        "the open's answer is already bound");
    assertEquals("i1", answered.getStatus().getInstance());
    assertEquals("n1", answered.getStatus().getNode());
    assertEquals(answered, session("s1"));
    assertEquals(InstanceState.INSTANCE_ALLOCATED, instance("i1").getState());
    assertEquals(List.of("s1"), instance("i1").getSessionsList());

    assertEquals(SessionState.SESSION_PENDING, open("s2").getStatus().getState(),
        "the instance is full: the scheduler finds s2 another one");
  }

  @Test
  void aClosedSessionFreesTheInstanceForTheNextOpen() {
    setUp(1);
    instance("i1", "n1", InstanceState.INSTANCE_READY);
    open("s1");
    log.apply(Command.newBuilder().setNowMs(20).setCaller(ADMIN).setNodeReport(NodeReportCmd
        .newBuilder().setNode("n1").addSessions(io.fornax.api.proto.SessionReport.newBuilder()
            .setTenant("t").setName("s1").setState(SessionState.SESSION_AVAILABLE))).build());
    log.apply(closeSession(tenant("t"), "t", "s1", 21));
    log.apply(Command.newBuilder().setNowMs(22).setCaller(ADMIN).setNodeReport(NodeReportCmd
        .newBuilder().setNode("n1").addSessions(io.fornax.api.proto.SessionReport.newBuilder()
            .setTenant("t").setName("s1").setState(SessionState.SESSION_CLOSED))).build());
    assertEquals(InstanceState.INSTANCE_READY, instance("i1").getState());
    assertEquals("i1", open("s2").getStatus().getInstance());
  }

  @Test
  void standbyPendingAndInstancesOnUnusableNodesAreLeftToTheScheduler() {
    setUp(1);
    instance("frozen", "n1", InstanceState.INSTANCE_STANDBY);
    log.apply(Command.newBuilder().setNowMs(2).setCaller(ADMIN).setApplyPlan(PlanCmd.newBuilder()
        .addPlace(PlaceInstance.newBuilder().setTenant("t").setApplication("web").setName("new")
            .setNode("n1"))).build());
    instance("draining", "n2", InstanceState.INSTANCE_READY);
    log.apply(Command.newBuilder().setNowMs(5).setCaller(ADMIN)
        .setDrainNode(DrainNodeCmd.newBuilder().setName("n2").setDrain(true)).build());
    log.apply(Command.newBuilder().setNowMs(5).setCaller(ADMIN).setRegisterNode(RegisterNodeCmd
        .newBuilder().setNode(Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n3"))
            .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setCapacity(Capacity
                .newBuilder().setCpuMillis(1000).setMemoryBytes(1 << 30).setMaxInstances(10)))))
        .build());
    instance("silent", "n3", InstanceState.INSTANCE_READY);
    log.apply(Command.newBuilder().setNowMs(6).setCaller(ADMIN).setNodeTransition(
        NodeTransitionCmd.newBuilder().setNode("n3").setState(NodeState.NODE_NOT_READY)).build());

    Session s = open("s1");
    assertEquals(SessionState.SESSION_PENDING, s.getStatus().getState());
    assertTrue(s.getStatus().getInstance().isEmpty());
    assertEquals(InstanceState.INSTANCE_READY, instance("draining").getState(), "untouched");
    assertEquals(InstanceState.INSTANCE_READY, instance("silent").getState(), "untouched");
  }

  @Test
  void sharedInstancesFillUpBeforeAnIdleOneIsTaken() {
    setUp(2);
    instance("a", "n1", InstanceState.INSTANCE_READY);
    instance("b", "n2", InstanceState.INSTANCE_READY);
    assertEquals("a", open("s1").getStatus().getInstance());
    assertEquals("a", open("s2").getStatus().getInstance(), "a has room for a second session");
    assertEquals("b", open("s3").getStatus().getInstance());
    assertEquals(List.of("s1", "s2"), instance("a").getSessionsList());
  }

  @Test
  void opensInOneBatchSeeEachOthersBinding() {
    setUp(1);
    instance("i1", "n1", InstanceState.INSTANCE_READY);
    instance("i2", "n2", InstanceState.INSTANCE_READY);
    log.apply(batch(List.of(openSession(tenant("t"), "t", "web", "s1", "", 10),
        openSession(tenant("t"), "t", "web", "s2", "", 10),
        openSession(tenant("t"), "t", "web", "s3", "", 10))));
    assertEquals("i1", session("s1").getStatus().getInstance());
    assertEquals("i2", session("s2").getStatus().getInstance());
    assertEquals(SessionState.SESSION_PENDING, session("s3").getStatus().getState());
  }

  @Test
  void aReplicaRebuiltFromStoredStateMakesTheSameChoice() {
    setUp(1);
    for (int i = 0; i < 5; i++) {
      instance("i" + i, i % 2 == 0 ? "n1" : "n2", InstanceState.INSTANCE_READY);
    }
    open("s0");
    open("s1");

    ResourceState rebuilt = new ResourceState(); // as after a restart or a snapshot install
    ResourceStateLoader loader = ResourceStateLoader.into(rebuilt);
    log.state.read(tables -> {
      tables.forEach((t, rows) -> rows.forEach((key, value) -> loader.load(t, key, value)));
      return null;
    });
    Command next = openSession(tenant("t"), "t", "web", "s2", "", 30);
    StateTxn here = new StateTxn(log.state);
    StateTxn there = new StateTxn(rebuilt);
    var a = new CommandApplier().apply(here, next, 1, 100);
    var b = new CommandApplier().apply(there, next, 1, 100);
    assertEquals(a, b);
    assertEquals(here.changes(), there.changes());
    assertEquals("i2", a.getResource().getSession().getStatus().getInstance(),
        "i0 and i1 are taken: the next in key order");
  }

  private Session openReserved(String name, String instance) {
    Command c = openSession(tenant("t"), "t", "web", name, "", 10);
    c = c.toBuilder().setOpenSession(c.getOpenSession().toBuilder().setReserved(
        ReservedInstance.newBuilder().setInstance(instance).setAvailableAtMs(12)
            .addEndpoints(Endpoint.newBuilder().setName("http").setProtocol("tcp")
                .setHost("127.0.0.1").setPort(7001)))).build();
    return log.apply(c).getResource().getSession();
  }

  @Test
  void anOpenOnTheInstanceTheLeaderReservedIsAvailableInItsOwnEntry() {
    setUp(1);
    instance("i1", "n1", InstanceState.INSTANCE_READY);
    instance("i2", "n2", InstanceState.INSTANCE_READY);
    Session s = openReserved("s1", "i2");
    assertEquals(SessionState.SESSION_AVAILABLE, s.getStatus().getState());
    assertEquals("i2", s.getStatus().getInstance(), "the reserved one, not the first in key order");
    assertEquals("n2", s.getStatus().getNode());
    assertEquals(7001, s.getStatus().getEndpoints(0).getPort());
    assertEquals(10, s.getStatus().getOpenedAtMs());
    assertEquals(12, s.getStatus().getAvailableAtMs());
    assertEquals(s.getMeta().getCreateRevision(), s.getMeta().getRevision(), "one write");
    assertEquals(s, session("s1"));
    assertEquals(InstanceState.INSTANCE_ALLOCATED, instance("i2").getState());
    assertEquals(List.of("s1"), instance("i2").getSessionsList());
  }

  @Test
  void aReservationThatNoLongerHoldsOpensTheOrdinaryWay() {
    setUp(1);
    instance("i1", "n1", InstanceState.INSTANCE_READY);
    instance("i2", "n2", InstanceState.INSTANCE_READY);
    open("s1"); // bound to i1 at apply, e.g. forwarded by another replica
    Session s = openReserved("s2", "i1");
    assertEquals(SessionState.SESSION_STARTING, s.getStatus().getState(),
        "i1 is full: bound like any open, to wait for its agent");
    assertEquals("i2", s.getStatus().getInstance());
    assertTrue(s.getStatus().getEndpointsList().isEmpty(), "no endpoint of i1 kept");
    assertEquals(List.of("s1"), instance("i1").getSessionsList());

    log.apply(Command.newBuilder().setNowMs(30).setCaller(ADMIN).setNodeTransition(
        NodeTransitionCmd.newBuilder().setNode("n2").setState(NodeState.NODE_NOT_READY)).build());
    instance("i3", "n1", InstanceState.INSTANCE_READY);
    assertEquals("i3", openReserved("s3", "unknown").getStatus().getInstance(),
        "an unknown instance is no reservation");
    assertEquals(SessionState.SESSION_PENDING, openReserved("s4", "i2").getStatus().getState(),
        "i2 is taken and its node silent, i1 and i3 are taken: PENDING");
  }

  @Test
  void aReservationNamesAnInstanceOfTheSessionsOwnApplication() {
    setUp(1);
    var other = TestCommands.app("t", "other", 10);
    log.apply(Command.newBuilder().setNowMs(1).setCaller(tenant("t"))
        .setCreateApplication(CreateApplicationCmd.newBuilder().setApplication(other)).build());
    log.apply(Command.newBuilder().setNowMs(2).setCaller(ADMIN).setApplyPlan(PlanCmd.newBuilder()
        .addPlace(PlaceInstance.newBuilder().setTenant("t").setApplication("other").setName("o1")
            .setNode("n1"))).build());
    log.apply(Command.newBuilder().setNowMs(3).setCaller(ADMIN).setNodeReport(NodeReportCmd
        .newBuilder().setNode("n1").addInstances(InstanceReport.newBuilder().setTenant("t")
            .setName("o1").setState(InstanceState.INSTANCE_READY))).build());
    Session s = openReserved("s1", "o1");
    assertEquals(SessionState.SESSION_PENDING, s.getStatus().getState());
    assertEquals(InstanceState.INSTANCE_READY, instance("o1").getState(), "untouched");
  }
}
