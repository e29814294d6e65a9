package io.fornax.core.command;

import static io.fornax.core.command.TestCommands.ADMIN;
import static io.fornax.core.command.TestCommands.createTenant;
import static io.fornax.core.command.TestCommands.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.CreateApplicationCmd;
import io.fornax.api.proto.DrainNodeCmd;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.NodeTransitionCmd;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PlaceInstance;
import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.PlanResult;
import io.fornax.api.proto.RegisterNodeCmd;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.StateDigest;
import io.fornax.core.state.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Draining a node: the unschedulable flag, its state, and what it does to placements. */
class DrainNodeCommandsTest {
  private AppliedLog log;
  private ResourceState state;

  @BeforeEach
  void setUp() {
    log = new AppliedLog();
    state = log.state;
    apply(createTenant("t", 1));
    apply(Command.newBuilder().setNowMs(1).setCaller(tenant("t")).setCreateApplication(
        CreateApplicationCmd.newBuilder().setApplication(TestCommands.app("t", "web", 3))).build());
    apply(register("n1", 1));
  }

  private CommandResult apply(Command c) {
    return log.apply(c);
  }

  private static Command register(String name, long now) {
    return Command.newBuilder().setNowMs(now).setCaller(ADMIN).setRegisterNode(RegisterNodeCmd
        .newBuilder().setNode(Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name))
            .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setCapacity(Capacity
                .newBuilder().setCpuMillis(1000).setMemoryBytes(1 << 30).setMaxInstances(10)))))
        .build();
  }

  private static Command drain(Caller caller, String name, boolean drain, long now) {
    return Command.newBuilder().setNowMs(now).setCaller(caller)
        .setDrainNode(DrainNodeCmd.newBuilder().setName(name).setDrain(drain)).build();
  }

  private static Command place(String instance, long now) {
    return Command.newBuilder().setNowMs(now).setCaller(ADMIN).setApplyPlan(PlanCmd.newBuilder()
        .addPlace(PlaceInstance.newBuilder().setTenant("t").setApplication("web")
            .setName(instance).setNode("n1"))).build();
  }

  private Node node() {
    return state.get(Table.NODES, "n1");
  }

  @Test
  void drainSetsTheFlagAndShowsDrainingThenUndrainClearsIt() {
    CommandResult r = apply(drain(ADMIN, "n1", true, 10));
    assertEquals(ErrorCode.OK, r.getError().getCode(), r.getError().getMessage());
    assertTrue(r.getResource().getNode().getSpec().getUnschedulable());
    assertTrue(node().getSpec().getUnschedulable());
    assertEquals(NodeState.NODE_DRAINING, node().getStatus().getState());

    apply(drain(ADMIN, "n1", false, 11));
    assertFalse(node().getSpec().getUnschedulable());
    assertEquals(NodeState.NODE_READY, node().getStatus().getState());
  }

  @Test
  void drainIsIdempotent() {
    apply(drain(ADMIN, "n1", true, 10));
    String before = StateDigest.of(state);
    long revision = node().getMeta().getRevision();
    CommandResult again = apply(drain(ADMIN, "n1", true, 20));
    assertEquals(ErrorCode.OK, again.getError().getCode());
    assertEquals(before, StateDigest.of(state));
    assertEquals(revision, node().getMeta().getRevision());
  }

  @Test
  void aDrainedNodeGetsNoPlacementsAndAnUndrainedOneDoes() {
    apply(drain(ADMIN, "n1", true, 10));
    PlanResult skipped = apply(place("i1", 11)).getPlan();
    assertEquals(0, skipped.getApplied());
    assertEquals(1, skipped.getSkipped());
    assertTrue(state.get(Table.INSTANCES, "t/i1") == null);

    apply(drain(ADMIN, "n1", false, 12));
    assertEquals(1, apply(place("i1", 13)).getPlan().getApplied());
    assertTrue(state.get(Table.INSTANCES, "t/i1") != null);
  }

  @Test
  void tenantCallerIsRefusedAndNothingChanges() {
    String before = StateDigest.of(state);
    CommandResult r = apply(drain(tenant("t"), "n1", true, 10));
    assertEquals(ErrorCode.PERMISSION_DENIED, r.getError().getCode());
    assertEquals(before, StateDigest.of(state));
  }

  @Test
  void unknownNodeIsNotFound() {
    CommandResult r = apply(drain(ADMIN, "ghost", true, 10));
    assertEquals(ErrorCode.NOT_FOUND, r.getError().getCode());
    assertTrue(r.getError().getMessage().contains("node \"ghost\" not found"),
        r.getError().getMessage());
  }

  @Test
  void reRegisteringKeepsTheDrainFlag() {
    apply(drain(ADMIN, "n1", true, 10));
    apply(register("n1", 20)); // the agent reconnects; its spec says nothing about draining
    assertTrue(node().getSpec().getUnschedulable());
    assertEquals(NodeState.NODE_DRAINING, node().getStatus().getState());
  }

  @Test
  void aDrainedNodeThatComesBackIsDrainingNotReady() {
    apply(drain(ADMIN, "n1", true, 10));
    apply(transition(NodeState.NODE_NOT_READY, 20));
    assertEquals(NodeState.NODE_NOT_READY, node().getStatus().getState());
    assertTrue(node().getSpec().getUnschedulable(), "liveness leaves the flag alone");
    apply(transition(NodeState.NODE_READY, 30));
    assertEquals(NodeState.NODE_DRAINING, node().getStatus().getState());
  }

  @Test
  void drainingAnUnreachableNodeKeepsItsLivenessState() {
    apply(transition(NodeState.NODE_NOT_READY, 20));
    apply(drain(ADMIN, "n1", true, 30));
    assertEquals(NodeState.NODE_NOT_READY, node().getStatus().getState());
    assertTrue(node().getSpec().getUnschedulable());
  }

  private static Command transition(NodeState to, long now) {
    return Command.newBuilder().setNowMs(now).setCaller(ADMIN).setNodeTransition(
        NodeTransitionCmd.newBuilder().setNode("n1").setState(to).setReason("test")).build();
  }
}
