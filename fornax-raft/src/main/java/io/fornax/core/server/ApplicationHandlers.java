package io.fornax.core.server;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CreateApplicationCmd;
import io.fornax.api.proto.CreateApplicationRequest;
import io.fornax.api.proto.DeleteApplicationCmd;
import io.fornax.api.proto.DeleteRequest;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.UpdateApplicationCmd;
import io.fornax.api.proto.UpdateApplicationRequest;
import io.fornax.api.validation.Defaults;
import io.fornax.api.validation.Validator;
import java.util.concurrent.CompletableFuture;

/** Applications: placed in the caller's tenant, defaults filled in, validated, then proposed. */
final class ApplicationHandlers {
  private final CommandSubmitter submitter;

  ApplicationHandlers(CommandSubmitter submitter) {
    this.submitter = submitter;
  }

  CompletableFuture<Response> create(Caller caller, CreateApplicationRequest r) {
    Application app = prepare(caller, r.getApplication());
    app = app.toBuilder().setMeta(Stamps.newMeta(app.getMeta())).build();
    return submitter.submit(caller, Command.newBuilder()
            .setCreateApplication(CreateApplicationCmd.newBuilder().setApplication(app)))
        .thenApply(Responses::written);
  }

  /** expected_revision > 0 makes the update conditional (CONFLICT from apply if stale). */
  CompletableFuture<Response> update(Caller caller, UpdateApplicationRequest r) {
    Application app = prepare(caller, r.getApplication());
    return submitter.submit(caller, Command.newBuilder()
            .setUpdateApplication(UpdateApplicationCmd.newBuilder().setApplication(app)
                .setExpectedRevision(r.getExpectedRevision())))
        .thenApply(Responses::written);
  }

  CompletableFuture<Response> delete(Caller caller, DeleteRequest r) {
    return submitter.submit(caller, Command.newBuilder()
            .setDeleteApplication(DeleteApplicationCmd.newBuilder()
                .setTenant(Scope.tenant(caller, r.getTenant(), true)).setName(r.getName())
                .setExpectedRevision(r.getExpectedRevision())))
        .thenApply(Responses::written);
  }

  /** Puts the application in the caller's tenant, fills defaults, validates. */
  private static Application prepare(Caller caller, Application requested) {
    String tenant = Scope.tenant(caller, requested.getMeta().getTenant(), false);
    if (tenant.isEmpty()) {
      throw FornaxException.invalid("metadata.tenant is required for admin requests");
    }
    // Status is the leader's to maintain; whatever the client sent is dropped.
    Application app = Defaults.applyApplicationDefaults(requested.toBuilder()
        .setMeta(requested.getMeta().toBuilder().setTenant(tenant)).clearStatus().build());
    Validator.validateApplication(app);
    return app;
  }
}
