package io.fornax.core.server;

import io.fornax.api.FornaxException;
import io.fornax.api.Futures;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.DeleteRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.validation.Validator;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin request handling, shared by every connection: authenticate, route the request's body to
 * its handler, map any failure to an error response. Handlers validate, stamp commands and call
 * the backend; none of them blocks.
 */
final class RequestDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
  private static final long SLOW_MS = 1000;

  private final CoreBackend backend;
  private final Authenticator auth;
  private final TenantHandlers tenants;
  private final ApplicationHandlers applications;
  private final SessionHandlers sessions;
  private final NodeHandlers nodes;
  private final ReadHandlers reads;
  private final WatchHandlers watches;

  RequestDispatcher(CoreBackend backend, Authenticator auth, NodeHeartbeats heartbeats,
      AgentStreams agents) {
    this.backend = backend;
    CommandSubmitter submitter = new CommandSubmitter(backend);
    this.auth = auth;
    this.tenants = new TenantHandlers(submitter);
    this.applications = new ApplicationHandlers(submitter);
    this.sessions = new SessionHandlers(submitter, agents);
    this.nodes = new NodeHandlers(backend, submitter, heartbeats, agents);
    this.reads = new ReadHandlers(backend);
    this.watches = new WatchHandlers(backend);
  }

  /**
   * Always completes normally: failures become error responses carrying the request's id.
   * Completes with null when the handler already wrote its answer (watches, agent streams).
   */
  CompletableFuture<Response> handle(Request request, ConnectionWatches connection) {
    long started = System.nanoTime();
    LOG.debug("request {} {}", request.getId(), request.getBodyCase());
    CompletableFuture<Response> routed;
    try {
      routed = auth.authenticate(request.getToken())
          .thenCompose(caller -> route(caller, request, connection));
    } catch (RuntimeException e) {
      routed = CompletableFuture.failedFuture(e);
    }
    return routed.handle((response, e) -> {
      long ms = (System.nanoTime() - started) / 1_000_000;
      // An agent's connect may wait out an election on purpose (AgentGateway): not slow.
      if (ms >= SLOW_MS && request.getBodyCase() != Request.BodyCase.AGENT_CONNECT) {
        LOG.warn("slow request {} {}: {} ms{}", request.getId(), request.getBodyCase(), ms,
            e == null ? "" : " (" + e + ")");
      }
      if (e != null) {
        return toError(request, e);
      }
      if (response == null) {
        return null;
      }
      Response.Builder out = response.toBuilder().setId(request.getId());
      if (!response.hasError()) {
        // Clients then send their next calls to the leader itself (one hop less for writes).
        out.setLeaderApi(backend.leaderApiElsewhere());
      }
      return out.build();
    });
  }

  private CompletableFuture<Response> route(Caller caller, Request r, ConnectionWatches conn) {
    return switch (r.getBodyCase()) {
      case CREATE_TENANT -> tenants.create(caller, r.getCreateTenant());
      case UPDATE_TENANT -> tenants.update(caller, r.getUpdateTenant());
      case DELETE -> delete(caller, r.getDelete());
      case CREATE_APPLICATION -> applications.create(caller, r.getCreateApplication());
      case UPDATE_APPLICATION -> applications.update(caller, r.getUpdateApplication());
      case OPEN_SESSION -> sessions.open(caller, r.getOpenSession());
      case CLOSE_SESSION -> sessions.close(caller, r.getCloseSession());
      case REGISTER_NODE -> nodes.register(caller, r.getRegisterNode());
      case DRAIN_NODE -> nodes.drain(caller, r.getDrainNode());
      case GET -> reads.get(caller, r.getGet(), r.getConsistency());
      case LIST -> reads.list(caller, r.getList(), r.getConsistency());
      case CLUSTER_STATUS -> reads.clusterStatus();
      case WATCH -> watches.watch(caller, r.getId(), r.getWatch(), conn);
      case CANCEL_WATCH -> watches.cancel(r.getCancelWatch(), conn);
      case NODE_HEARTBEAT -> nodes.heartbeat(caller, r.getNodeHeartbeat().getNode());
      case AGENT_CONNECT -> nodes.agentConnect(caller, r.getId(), r.getAgentConnect(),
          conn.channel());
      case AGENT_REPORT -> nodes.agentReport(caller, r.getAgentReport());
      case BODY_NOT_SET -> throw FornaxException.invalid("request has no body");
    };
  }

  private CompletableFuture<Response> delete(Caller caller, DeleteRequest r) {
    Validator.validateName("name", r.getName());
    return switch (r.getKind()) {
      case TENANT -> tenants.delete(caller, r);
      case APPLICATION -> applications.delete(caller, r);
      case SESSION -> sessions.close(caller, r.getTenant(), r.getName());
      case NODE -> nodes.delete(caller, r);
      case INSTANCE -> throw FornaxException.invalid("instances are deleted by the scheduler");
      case KIND_UNSPECIFIED, UNRECOGNIZED -> throw FornaxException.invalid(
          "kind is required (TENANT, APPLICATION, SESSION or NODE)");
    };
  }

  /** Business failures keep their code and message; anything else is INTERNAL and logged. */
  private static Response toError(Request request, Throwable e) {
    Throwable cause = Futures.cause(e);
    if (cause instanceof FornaxException f) {
      LOG.debug("request {} {} failed: {}", request.getId(), request.getBodyCase(), f.toString());
      return Response.newBuilder().setId(request.getId()).setError(f.toProto()).build();
    }
    LOG.warn("request {} ({}) failed", request.getId(), request.getBodyCase(), cause);
    return Responses.error(request.getId(), ErrorCode.INTERNAL,
        "internal error handling request " + request.getId() + "; see the replica's log");
  }
}
