package io.fornax.core.command;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.DeleteNodeCmd;
import io.fornax.api.proto.DrainNodeCmd;
import io.fornax.api.proto.Deleted;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.NodeTransitionCmd;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeState;
import io.fornax.api.proto.NodeStatus;
import io.fornax.api.proto.RegisterNodeCmd;
import io.fornax.api.proto.Resource;
import io.fornax.core.state.Table;
import java.util.Optional;

final class NodeCommands {
  private NodeCommands() {}

  /**
   * Creates a node, or refreshes the spec and labels of a re-registering one; it becomes READY
   * (DRAINING if it was drained: the flag is the operator's, an agent reconnecting keeps it).
   */
  static CommandResult.Builder register(ApplyContext ctx, RegisterNodeCmd cmd) {
    ctx.requireAdmin("registering a node");
    Node requested = cmd.getNode();
    String name = requested.getMeta().getName();
    Optional<Node> current = ctx.txn().get(Table.NODES, name);
    boolean unschedulable = current.map(c -> c.getSpec().getUnschedulable())
        .orElse(requested.getSpec().getUnschedulable());
    NodeStatus alive = NodeStatus.newBuilder()
        .setState(aliveState(unschedulable))
        .setLastTransitionMs(ctx.nowMs())
        .setReason("registered")
        .build();
    Node node;
    if (current.isPresent()) {
      Node c = current.get();
      node = c.toBuilder()
          .setMeta(ctx.touched(c.getMeta()).toBuilder()
              .clearLabels().putAllLabels(requested.getMeta().getLabelsMap()))
          .setSpec(requested.getSpec().toBuilder().setUnschedulable(unschedulable))
          .setStatus(alive)
          .build();
    } else {
      node = requested.toBuilder().setMeta(ctx.created(requested.getMeta())).setStatus(alive).build();
    }
    ctx.txn().put(Table.NODES, name, node);
    return CommandResult.newBuilder().setResource(Resource.newBuilder().setNode(node));
  }

  /** The state of a node that is heard from: DRAINING while it is cordoned, else READY. */
  private static NodeState aliveState(boolean unschedulable) {
    return unschedulable ? NodeState.NODE_DRAINING : NodeState.NODE_READY;
  }

  /**
   * Cordons (drain) or uncordons a node. Running instances are left alone; the scheduler places
   * nothing new there while the flag is set. Applying the same request twice changes nothing.
   */
  static CommandResult.Builder drain(ApplyContext ctx, DrainNodeCmd cmd) {
    ctx.requireAdmin("draining a node");
    Node node = ctx.txn().<Node>get(Table.NODES, cmd.getName())
        .orElseThrow(() -> FornaxException.notFound("node \"%s\" not found", cmd.getName()));
    if (node.getSpec().getUnschedulable() == cmd.getDrain()) {
      return CommandResult.newBuilder().setResource(Resource.newBuilder().setNode(node));
    }
    Node.Builder changed = node.toBuilder().setMeta(ctx.touched(node.getMeta()))
        .setSpec(node.getSpec().toBuilder().setUnschedulable(cmd.getDrain()));
    NodeState state = node.getStatus().getState();
    if (state == NodeState.NODE_READY || state == NodeState.NODE_DRAINING) {
      changed.setStatus(NodeStatus.newBuilder().setState(aliveState(cmd.getDrain()))
          .setLastTransitionMs(ctx.nowMs()).setReason(cmd.getDrain() ? "drained" : "undrained"));
    }
    Node updated = changed.build();
    ctx.txn().put(Table.NODES, cmd.getName(), updated);
    return CommandResult.newBuilder().setResource(Resource.newBuilder().setNode(updated));
  }

  /**
   * The leader's liveness verdict. DOWN fails every live instance on the node and loses the
   * sessions they held, with the reason, so clients and the scheduler see it at once.
   */
  static CommandResult.Builder transition(ApplyContext ctx, NodeTransitionCmd cmd) {
    ctx.requireAdmin("changing a node's state");
    Node node = ctx.txn().<Node>get(Table.NODES, cmd.getNode())
        .orElseThrow(() -> FornaxException.notFound("node \"%s\" not found", cmd.getNode()));
    // A drained node that is heard from again comes back DRAINING, not READY.
    NodeState target = cmd.getState() == NodeState.NODE_READY
        ? aliveState(node.getSpec().getUnschedulable()) : cmd.getState();
    if (node.getStatus().getState() == target) {
      return CommandResult.newBuilder().setResource(Resource.newBuilder().setNode(node));
    }
    Node changed = node.toBuilder().setMeta(ctx.touched(node.getMeta()))
        .setStatus(NodeStatus.newBuilder().setState(target)
            .setLastTransitionMs(ctx.nowMs()).setReason(cmd.getReason()))
        .build();
    ctx.txn().put(Table.NODES, cmd.getNode(), changed);
    if (target == NodeState.NODE_DOWN) {
      failInstancesOn(ctx, cmd.getNode(), "node " + cmd.getNode() + " down: " + cmd.getReason());
    }
    return CommandResult.newBuilder().setResource(Resource.newBuilder().setNode(changed));
  }

  private static void failInstancesOn(ApplyContext ctx, String node, String reason) {
    for (Instance i : ctx.txn().<Instance>list(Table.INSTANCES, "")) {
      if (!i.getNode().equals(node) || Instances.isFinished(i)) {
        continue;
      }
      String tenant = i.getMeta().getTenant();
      for (String sessionName : i.getSessionsList()) {
        ctx.txn().<Session>get(Table.SESSIONS, Table.SESSIONS.key(tenant, sessionName))
            .filter(s -> !Sessions.isTerminal(s))
            .ifPresent(s -> Sessions.finish(ctx, s, SessionState.SESSION_LOST, reason));
      }
      ctx.txn().put(Table.INSTANCES, Table.INSTANCES.key(tenant, i.getMeta().getName()),
          i.toBuilder().setMeta(ctx.touched(i.getMeta())).setState(InstanceState.INSTANCE_FAILED)
              .setExitReason(reason).clearSessions().build());
    }
  }

  static CommandResult.Builder delete(ApplyContext ctx, DeleteNodeCmd cmd) {
    ctx.requireAdmin("deleting a node");
    if (ctx.txn().get(Table.NODES, cmd.getName()).isEmpty()) {
      throw FornaxException.notFound("node \"%s\" not found", cmd.getName());
    }
    long live = ctx.txn().<Instance>list(Table.INSTANCES, "").stream()
        .filter(i -> i.getNode().equals(cmd.getName()) && !Instances.isFinished(i))
        .count();
    if (live > 0) {
      throw new FornaxException(ErrorCode.FAILED_PRECONDITION, String.format(
          "node \"%s\" still runs %d instance(s); drain it first", cmd.getName(), live));
    }
    ctx.txn().delete(Table.NODES, cmd.getName());
    return CommandResult.newBuilder().setDeleted(Deleted.getDefaultInstance());
  }
}
