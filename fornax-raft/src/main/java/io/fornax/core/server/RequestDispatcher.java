package io.fornax.core.server;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.Error;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin request handling: authenticate, route to the handler of the request's body, map any
 * failure to an error response. Handlers validate, stamp commands and call the backend.
 */
final class RequestDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

  private static final long SLOW_MS = 1000;

  private final CoreBackend backend;
  private final Authenticator auth;
  private final WriteHandlers writes;
  private final ReadHandlers reads;

  private final NodeHeartbeats heartbeats;
  private final AgentStreams agents;

  RequestDispatcher(CoreBackend backend, Authenticator auth, NodeHeartbeats heartbeats,
      AgentStreams agents) {
    this.backend = backend;
    this.heartbeats = heartbeats;
    this.agents = agents;
    this.auth = auth;
    this.writes = new WriteHandlers(this);
    this.reads = new ReadHandlers(backend);
  }

  /**
   * Always completes normally: failures become error responses. Completes with null when the
   * handler already wrote its response (watches).
   */
  CompletableFuture<Response> handle(Request request, ConnectionWatches watches) {
    long started = System.nanoTime();
    CompletableFuture<Response> result = auth.authenticate(request.getToken())
        .thenCompose(caller -> route(caller, request, watches));
    return result.handle((r, e) -> {
      long ms = (System.nanoTime() - started) / 1_000_000;
      if (ms >= SLOW_MS) {
        LOG.warn("slow request {} {}: {} ms{}", request.getId(), request.getBodyCase(), ms,
            e == null ? "" : " (" + e + ")");
      }
      if (e != null) {
        return toError(request, e);
      }
      return r == null ? null : r.toBuilder().setId(request.getId()).build();
    });
  }

  private CompletableFuture<Response> route(Caller caller, Request r, ConnectionWatches watches) {
    return switch (r.getBodyCase()) {
      case CREATE_TENANT -> writes.createTenant(caller, r.getCreateTenant());
      case UPDATE_TENANT -> writes.updateTenant(caller, r.getUpdateTenant());
      case DELETE -> writes.delete(caller, r.getDelete());
      case CREATE_APPLICATION -> writes.createApplication(caller, r.getCreateApplication());
      case UPDATE_APPLICATION -> writes.updateApplication(caller, r.getUpdateApplication());
      case OPEN_SESSION -> writes.openSession(caller, r.getOpenSession());
      case CLOSE_SESSION -> writes.closeSession(caller, r.getCloseSession());
      case REGISTER_NODE -> writes.registerNode(caller, r.getRegisterNode());
      case GET -> reads.get(caller, r.getGet(), r.getConsistency());
      case LIST -> reads.list(caller, r.getList(), r.getConsistency());
      case CLUSTER_STATUS -> CompletableFuture.completedFuture(
          Response.newBuilder().setClusterStatus(backend.clusterStatus()).build());
      case WATCH -> reads.watch(caller, r.getId(), r.getWatch(), watches);
      case CANCEL_WATCH -> reads.cancelWatch(r.getCancelWatch(), watches);
      case NODE_HEARTBEAT -> heartbeat(caller, r.getNodeHeartbeat().getNode());
      case AGENT_CONNECT -> {
        Scope.requireAdmin(caller, "an agent stream");
        io.fornax.api.validation.Validator.validateNode(r.getAgentConnect().getNode());
        yield agents.connect(r.getId(), r.getAgentConnect(), watches.channel());
      }
      case AGENT_REPORT -> {
        Scope.requireAdmin(caller, "an agent report");
        io.fornax.api.validation.Validator.validateName("node", r.getAgentReport().getNode());
        yield agents.report(r.getAgentReport());
      }
      case BODY_NOT_SET -> throw FornaxException.invalid("request has no body");
    };
  }

  private CompletableFuture<Response> heartbeat(Caller caller, String node) {
    Scope.requireAdmin(caller, "a node heartbeat");
    io.fornax.api.validation.Validator.validateName("node", node);
    if (backend.state().get(io.fornax.core.state.Table.NODES, node) == null) {
      throw FornaxException.notFound("node \"%s\" is not registered", node);
    }
    if (!heartbeats.beat(node)) {
      return CompletableFuture.completedFuture(NotLeader.response(backend, "heartbeats"));
    }
    return CompletableFuture.completedFuture(Response.newBuilder()
        .setRevision(backend.state().appliedIndex()).build());
  }

  /** Stamps time and caller into a command and proposes it. */
  CompletableFuture<CommandResult> submit(Caller caller, Command.Builder command) {
    return backend.submit(command.setNowMs(backend.clock().millis()).setCaller(caller).build())
        .thenApply(result -> {
          if (result.getError().getCode() != ErrorCode.OK) {
            throw FornaxException.fromProto(result.getError());
          }
          return result;
        });
  }

  private static Response toError(Request request, Throwable e) {
    Throwable cause = e;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof FornaxException f) {
      return Response.newBuilder().setId(request.getId()).setError(f.toProto()).build();
    }
    LOG.warn("request {} ({}) failed", request.getId(), request.getBodyCase(), cause);
    return error(request.getId(), ErrorCode.INTERNAL, "internal error: " + cause);
  }

  static Response error(long id, ErrorCode code, String message) {
    return Response.newBuilder().setId(id)
        .setError(Error.newBuilder().setCode(code).setMessage(message)).build();
  }
}
