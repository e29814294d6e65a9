package io.fornax.core.leader;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.DrainNodeCmd;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.NodeTransitionCmd;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.RegisterNodeCmd;
import io.fornax.core.command.CommandApplier;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.StateTxn;
import org.junit.jupiter.api.Test;

/**
 * An agent reconnecting to a new leader with what the old one already recorded proposes no
 * registration: after a failover a thousand of them delayed the new leader's first writes.
 * Anything that registration would change still goes through.
 */
class AgentReconnectTest {
  private static final Caller ADMIN = Caller.newBuilder().setAdmin(true).build();
  private final CommandApplier applier = new CommandApplier();
  private final ResourceState state = new ResourceState();
  private long index;

  private void apply(Command.Builder c) {
    StateTxn txn = new StateTxn(state);
    applier.apply(txn, c.setNowMs(index + 1).setCaller(ADMIN).build(), 1, ++index);
    state.publish(txn.changes(), 1, index);
  }

  private static Node node(String label, int cpu) {
    return Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n1").putLabels("zone", label))
        .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setCapacity(Capacity.newBuilder()
            .setCpuMillis(cpu).setMemoryBytes(1L << 30).setMaxInstances(10)))
        .build();
  }

  @Test
  void aKnownLiveNodeWithTheSameSpecAndLabelsNeedsNoRegistration() {
    assertFalse(AgentGateway.isRegistered(state, node("a", 1000)), "unknown node");
    apply(Command.newBuilder().setRegisterNode(RegisterNodeCmd.newBuilder().setNode(node("a", 1000))));
    assertTrue(AgentGateway.isRegistered(state, node("a", 1000)));
    assertFalse(AgentGateway.isRegistered(state, node("b", 1000)), "labels changed");
    assertFalse(AgentGateway.isRegistered(state, node("a", 2000)), "capacity changed");

    apply(Command.newBuilder().setDrainNode(DrainNodeCmd.newBuilder().setName("n1").setDrain(true)));
    assertTrue(AgentGateway.isRegistered(state, node("a", 1000)),
        "drained by the operator: the agent does not send the flag, registration keeps it");

    apply(Command.newBuilder().setNodeTransition(NodeTransitionCmd.newBuilder().setNode("n1")
        .setState(NodeState.NODE_DOWN).setReason("silent")));
    assertFalse(AgentGateway.isRegistered(state, node("a", 1000)),
        "a DOWN node registers again to come back at once");
  }
}
