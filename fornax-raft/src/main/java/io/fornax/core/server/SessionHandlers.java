package io.fornax.core.server;

import io.fornax.api.proto.Caller;
import io.fornax.api.proto.CloseSessionCmd;
import io.fornax.api.proto.CloseSessionRequest;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionCmd;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionSpec;
import io.fornax.api.validation.Validator;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Sessions: an open on the leader with an idle instance at hand is answered AVAILABLE in one
 * commit (the agent opens it first, see {@code leader.AgentOffers}); any other open is recorded,
 * bound at apply to an idle instance if there is one, else PENDING for the scheduler. The name
 * is drawn here; with an idempotency key apply returns the first session instead, so a retry is
 * harmless.
 */
final class SessionHandlers {
  private final CommandSubmitter submitter;
  private final AgentStreams agents;

  SessionHandlers(CommandSubmitter submitter, AgentStreams agents) {
    this.submitter = submitter;
    this.agents = agents;
  }

  CompletableFuture<Response> open(Caller caller, OpenSessionRequest r) {
    Validator.validateOpenSession(r);
    String tenant = Scope.tenant(caller, r.getTenant(), true);
    Session session = Session.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName(Stamps.sessionName()).setTenant(tenant)
            .setUid(UUID.randomUUID().toString()).putAllLabels(r.getLabelsMap()))
        .setSpec(SessionSpec.newBuilder()
            .setApplication(r.getApplication())
            .setSessionData(r.getSessionData())
            .setOpenTimeoutMs(r.getOpenTimeoutMs())
            .setCloseGracePeriodMs(r.getCloseGracePeriodMs())
            .setIdempotencyKey(r.getIdempotencyKey()))
        .build();
    Command open = submitter.stamp(caller, Command.newBuilder()
        .setOpenSession(OpenSessionCmd.newBuilder().setSession(session)));
    return submitter.submit(open, agents.openOnIdleInstance(open)).thenApply(Responses::written);
  }

  CompletableFuture<Response> close(Caller caller, CloseSessionRequest r) {
    Validator.validateName("name", r.getName());
    return close(caller, r.getTenant(), r.getName());
  }

  /** Closing is how a session is deleted: it ends CLOSED and is garbage-collected later. */
  CompletableFuture<Response> close(Caller caller, String requestedTenant, String name) {
    String tenant = Scope.tenant(caller, requestedTenant, true);
    Command close = submitter.stamp(caller, Command.newBuilder()
        .setCloseSession(CloseSessionCmd.newBuilder().setTenant(tenant).setName(name)));
    return submitter.submit(close, agents.closeOnAgent(close)).thenApply(Responses::written);
  }
}
