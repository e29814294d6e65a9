package io.fornax.core.server;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.AgentReportRequest;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.DeleteNodeCmd;
import io.fornax.api.proto.DeleteRequest;
import io.fornax.api.proto.DrainNodeCmd;
import io.fornax.api.proto.DrainNodeRequest;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.RegisterNodeCmd;
import io.fornax.api.proto.RegisterNodeRequest;
import io.fornax.api.proto.Response;
import io.fornax.api.validation.Validator;
import io.fornax.core.state.Table;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * Nodes and their agents (admin only). Registration and removal are replicated commands;
 * heartbeats and agent streams are the leader's soft state and are handed to it as they are.
 */
final class NodeHandlers {
  private final CoreBackend backend;
  private final CommandSubmitter submitter;
  private final NodeHeartbeats heartbeats;
  private final AgentStreams agents;

  NodeHandlers(CoreBackend backend, CommandSubmitter submitter, NodeHeartbeats heartbeats,
      AgentStreams agents) {
    this.backend = backend;
    this.submitter = submitter;
    this.heartbeats = heartbeats;
    this.agents = agents;
  }

  CompletableFuture<Response> register(Caller caller, RegisterNodeRequest r) {
    Scope.requireAdmin(caller, "registering a node");
    Validator.validateNode(r.getNode());
    // Status (state, last seen) is the leader's to set.
    Node node = r.getNode().toBuilder()
        .setMeta(Stamps.newMeta(r.getNode().getMeta()).setTenant("")).clearStatus().build();
    return submitter.submit(caller, Command.newBuilder()
            .setRegisterNode(RegisterNodeCmd.newBuilder().setNode(node)))
        .thenApply(Responses::written);
  }

  CompletableFuture<Response> delete(Caller caller, DeleteRequest r) {
    Scope.requireAdmin(caller, "deleting a node");
    return submitter.submit(caller, Command.newBuilder()
            .setDeleteNode(DeleteNodeCmd.newBuilder().setName(r.getName())))
        .thenApply(Responses::written);
  }

  /** Cordons or uncordons a node; answers with the updated node. */
  CompletableFuture<Response> drain(Caller caller, DrainNodeRequest r) {
    Scope.requireAdmin(caller, "draining a node");
    Validator.validateName("name", r.getName());
    return submitter.submit(caller, Command.newBuilder()
            .setDrainNode(DrainNodeCmd.newBuilder().setName(r.getName()).setDrain(r.getDrain())))
        .thenApply(Responses::written);
  }

  CompletableFuture<Response> heartbeat(Caller caller, String node) {
    Scope.requireAdmin(caller, "a node heartbeat");
    Validator.validateName("node", node);
    if (backend.state().get(Table.NODES, node) == null) {
      throw FornaxException.notFound("node \"%s\" is not registered", node);
    }
    if (!heartbeats.beat(node)) {
      return CompletableFuture.completedFuture(NotLeader.response(backend, "heartbeats"));
    }
    return CompletableFuture.completedFuture(Response.newBuilder()
        .setRevision(backend.state().appliedIndex()).build());
  }

  /** Completes with null once the stream's first answer went out on {@code channel}. */
  CompletableFuture<Response> agentConnect(Caller caller, long requestId, AgentConnectRequest r,
      Channel channel) {
    Scope.requireAdmin(caller, "an agent stream");
    Validator.validateAgentConnect(r);
    return agents.connect(requestId, r, channel);
  }

  CompletableFuture<Response> agentReport(Caller caller, AgentReportRequest r) {
    Scope.requireAdmin(caller, "an agent report");
    Validator.validateName("node", r.getNode());
    return agents.report(r);
  }
}
