package io.fornax.core.command;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.DeleteNodeCmd;
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

  /** Creates a node, or refreshes the spec and labels of a re-registering one; it becomes READY. */
  static CommandResult.Builder register(ApplyContext ctx, RegisterNodeCmd cmd) {
    ctx.requireAdmin("registering a node");
    Node requested = cmd.getNode();
    String name = requested.getMeta().getName();
    Optional<Node> current = ctx.txn().get(Table.NODES, name);
    NodeStatus ready = NodeStatus.newBuilder()
        .setState(NodeState.NODE_READY)
        .setLastTransitionMs(ctx.nowMs())
        .setReason("registered")
        .build();
    Node node;
    if (current.isPresent()) {
      Node c = current.get();
      node = c.toBuilder()
          .setMeta(ctx.touched(c.getMeta()).toBuilder()
              .clearLabels().putAllLabels(requested.getMeta().getLabelsMap()))
          .setSpec(requested.getSpec().toBuilder().setUnschedulable(c.getSpec().getUnschedulable()))
          .setStatus(ready)
          .build();
    } else {
      node = requested.toBuilder().setMeta(ctx.created(requested.getMeta())).setStatus(ready).build();
    }
    ctx.txn().put(Table.NODES, name, node);
    return CommandResult.newBuilder().setResource(Resource.newBuilder().setNode(node));
  }

  /**
   * The leader's liveness verdict. DOWN fails every live instance on the node and loses the
   * sessions they held, with the reason, so clients and the scheduler see it at once.
   */
  static CommandResult.Builder transition(ApplyContext ctx, NodeTransitionCmd cmd) {
    ctx.requireAdmin("changing a node's state");
    Node node = ctx.txn().<Node>get(Table.NODES, cmd.getNode())
        .orElseThrow(() -> FornaxException.notFound("node \"%s\" not found", cmd.getNode()));
    if (node.getStatus().getState() == cmd.getState()) {
      return CommandResult.newBuilder().setResource(Resource.newBuilder().setNode(node));
    }
    Node changed = node.toBuilder().setMeta(ctx.touched(node.getMeta()))
        .setStatus(NodeStatus.newBuilder().setState(cmd.getState())
            .setLastTransitionMs(ctx.nowMs()).setReason(cmd.getReason()))
        .build();
    ctx.txn().put(Table.NODES, cmd.getNode(), changed);
    if (cmd.getState() == NodeState.NODE_DOWN) {
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
