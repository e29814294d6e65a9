package io.fornax.core.server;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.CloseSessionCmd;
import io.fornax.api.proto.CloseSessionRequest;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.CreateApplicationCmd;
import io.fornax.api.proto.CreateApplicationRequest;
import io.fornax.api.proto.CreateTenantCmd;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.DeleteApplicationCmd;
import io.fornax.api.proto.DeleteNodeCmd;
import io.fornax.api.proto.DeleteRequest;
import io.fornax.api.proto.DeleteTenantCmd;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionCmd;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.RegisterNodeCmd;
import io.fornax.api.proto.RegisterNodeRequest;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionSpec;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.TenantCreated;
import io.fornax.api.proto.UpdateApplicationCmd;
import io.fornax.api.proto.UpdateApplicationRequest;
import io.fornax.api.proto.UpdateTenantCmd;
import io.fornax.api.proto.UpdateTenantRequest;
import io.fornax.api.validation.Defaults;
import io.fornax.api.validation.Validator;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Writes: validate, stamp ids, build the command, submit, shape the response. */
final class WriteHandlers {
  private final RequestDispatcher dispatcher;

  WriteHandlers(RequestDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  CompletableFuture<Response> createTenant(Caller caller, CreateTenantRequest r) {
    Scope.requireAdmin(caller, "creating a tenant");
    Validator.validateTenant(r.getTenant());
    String token = Tokens.newTenantToken(r.getTenant().getMeta().getName());
    Tenant tenant = r.getTenant().toBuilder()
        .setMeta(freshMeta(r.getTenant().getMeta()).setTenant(""))
        .setTokenHash(Tokens.sha256Hex(token))
        .build();
    return dispatcher.submit(caller, Command.newBuilder()
            .setCreateTenant(CreateTenantCmd.newBuilder().setTenant(tenant)))
        .thenApply(result -> tenantCreated(result, token));
  }

  CompletableFuture<Response> updateTenant(Caller caller, UpdateTenantRequest r) {
    Scope.requireAdmin(caller, "updating a tenant");
    Validator.validateTenant(r.getTenant());
    String token = r.getRotateToken() ? Tokens.newTenantToken(r.getTenant().getMeta().getName()) : null;
    Tenant.Builder tenant = r.getTenant().toBuilder().clearTokenHash();
    if (token != null) {
      tenant.setTokenHash(Tokens.sha256Hex(token));
    }
    CompletableFuture<CommandResult> done = dispatcher.submit(caller, Command.newBuilder()
        .setUpdateTenant(UpdateTenantCmd.newBuilder().setTenant(tenant)
            .setExpectedRevision(r.getExpectedRevision())));
    return done.thenApply(result -> token != null ? tenantCreated(result, token) : resource(result));
  }

  CompletableFuture<Response> delete(Caller caller, DeleteRequest r) {
    Validator.validateName("name", r.getName());
    Command.Builder c = Command.newBuilder();
    switch (r.getKind()) {
      case TENANT -> {
        Scope.requireAdmin(caller, "deleting a tenant");
        c.setDeleteTenant(DeleteTenantCmd.newBuilder().setName(r.getName())
            .setExpectedRevision(r.getExpectedRevision()));
      }
      case APPLICATION -> c.setDeleteApplication(DeleteApplicationCmd.newBuilder()
          .setTenant(Scope.tenant(caller, r.getTenant(), true)).setName(r.getName())
          .setExpectedRevision(r.getExpectedRevision()));
      case SESSION -> c.setCloseSession(CloseSessionCmd.newBuilder()
          .setTenant(Scope.tenant(caller, r.getTenant(), true)).setName(r.getName()));
      case NODE -> {
        Scope.requireAdmin(caller, "deleting a node");
        c.setDeleteNode(DeleteNodeCmd.newBuilder().setName(r.getName()));
      }
      case INSTANCE -> throw FornaxException.invalid(
          "instances are not deleted directly: scale the application or close its sessions");
      default -> throw FornaxException.invalid("delete needs a kind (got %s)", r.getKind());
    }
    return dispatcher.submit(caller, c).thenApply(WriteHandlers::resource);
  }

  CompletableFuture<Response> createApplication(Caller caller, CreateApplicationRequest r) {
    Application app = prepare(caller, r.getApplication());
    app = app.toBuilder().setMeta(freshMeta(app.getMeta())).build();
    return dispatcher.submit(caller, Command.newBuilder()
            .setCreateApplication(CreateApplicationCmd.newBuilder().setApplication(app)))
        .thenApply(WriteHandlers::resource);
  }

  CompletableFuture<Response> updateApplication(Caller caller, UpdateApplicationRequest r) {
    Application app = prepare(caller, r.getApplication());
    return dispatcher.submit(caller, Command.newBuilder()
            .setUpdateApplication(UpdateApplicationCmd.newBuilder().setApplication(app)
                .setExpectedRevision(r.getExpectedRevision())))
        .thenApply(WriteHandlers::resource);
  }

  /** Puts the application in the caller's tenant, fills defaults, validates. */
  private static Application prepare(Caller caller, Application requested) {
    String tenant = Scope.tenant(caller, requested.getMeta().getTenant(), false);
    if (tenant.isEmpty()) {
      throw FornaxException.invalid("metadata.tenant is required for admin requests");
    }
    Application app = Defaults.applyApplicationDefaults(requested.toBuilder()
        .setMeta(requested.getMeta().toBuilder().setTenant(tenant)).clearStatus().build());
    Validator.validateApplication(app);
    return app;
  }

  CompletableFuture<Response> openSession(Caller caller, OpenSessionRequest r) {
    String tenant = Scope.tenant(caller, r.getTenant(), true);
    Validator.validateOpenSession(r);
    String name = "s-" + Tokens.randomHex(8);
    Session session = Session.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName(name).setTenant(tenant)
            .setUid(UUID.randomUUID().toString()).putAllLabels(r.getLabelsMap()))
        .setSpec(SessionSpec.newBuilder()
            .setApplication(r.getApplication())
            .setSessionData(r.getSessionData())
            .setOpenTimeoutMs(r.getOpenTimeoutMs())
            .setCloseGracePeriodMs(r.getCloseGracePeriodMs())
            .setIdempotencyKey(r.getIdempotencyKey()))
        .build();
    return dispatcher.submit(caller, Command.newBuilder()
            .setOpenSession(OpenSessionCmd.newBuilder().setSession(session)))
        .thenApply(WriteHandlers::resource);
  }

  CompletableFuture<Response> closeSession(Caller caller, CloseSessionRequest r) {
    String tenant = Scope.tenant(caller, r.getTenant(), true);
    Validator.validateName("name", r.getName());
    return dispatcher.submit(caller, Command.newBuilder()
            .setCloseSession(CloseSessionCmd.newBuilder().setTenant(tenant).setName(r.getName())))
        .thenApply(WriteHandlers::resource);
  }

  CompletableFuture<Response> registerNode(Caller caller, RegisterNodeRequest r) {
    Scope.requireAdmin(caller, "registering a node");
    Validator.validateNode(r.getNode());
    Node node = r.getNode().toBuilder()
        .setMeta(freshMeta(r.getNode().getMeta()).setTenant("")).clearStatus().build();
    return dispatcher.submit(caller, Command.newBuilder()
            .setRegisterNode(RegisterNodeCmd.newBuilder().setNode(node)))
        .thenApply(WriteHandlers::resource);
  }

  private static ObjectMeta.Builder freshMeta(ObjectMeta requested) {
    return requested.toBuilder().setUid(UUID.randomUUID().toString())
        .clearRevision().clearCreateRevision().clearCreatedAtMs().clearUpdatedAtMs();
  }

  private static Response resource(CommandResult result) {
    Response.Builder r = Response.newBuilder().setRevision(result.getRevision());
    if (result.hasResource()) {
      r.setResource(Scope.redact(result.getResource()));
    } else {
      r.setDeleted(result.getDeleted());
    }
    return r.build();
  }

  private static Response tenantCreated(CommandResult result, String token) {
    return Response.newBuilder().setRevision(result.getRevision())
        .setTenantCreated(TenantCreated.newBuilder()
            .setTenant(result.getResource().getTenant().toBuilder().clearTokenHash())
            .setToken(token))
        .build();
  }
}
