package io.fornax.core.server;

import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CreateTenantCmd;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.DeleteRequest;
import io.fornax.api.proto.DeleteTenantCmd;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.UpdateTenantCmd;
import io.fornax.api.proto.UpdateTenantRequest;
import io.fornax.api.validation.Validator;
import java.util.concurrent.CompletableFuture;

/**
 * Tenants (admin only). The server draws the token and stores only its SHA-256; the token itself
 * appears once, in the response that created or rotated it.
 */
final class TenantHandlers {
  private final CommandSubmitter submitter;

  TenantHandlers(CommandSubmitter submitter) {
    this.submitter = submitter;
  }

  CompletableFuture<Response> create(Caller caller, CreateTenantRequest r) {
    Scope.requireAdmin(caller, "creating a tenant");
    Validator.validateTenant(r.getTenant());
    String token = Tokens.newTenantToken(r.getTenant().getMeta().getName());
    Tenant tenant = r.getTenant().toBuilder()
        .setMeta(Stamps.newMeta(r.getTenant().getMeta()).setTenant(""))
        .setTokenHash(Tokens.sha256Hex(token))
        .build();
    return submitter.submit(caller, Command.newBuilder()
            .setCreateTenant(CreateTenantCmd.newBuilder().setTenant(tenant)))
        .thenApply(result -> Responses.tenantCreated(result, token));
  }

  /** Labels and quota; with rotate_token a new token replaces the old one. */
  CompletableFuture<Response> update(Caller caller, UpdateTenantRequest r) {
    Scope.requireAdmin(caller, "updating a tenant");
    Validator.validateTenant(r.getTenant());
    // An empty hash keeps the stored one: a client cannot set a hash of its own choosing.
    Tenant.Builder tenant = r.getTenant().toBuilder().clearTokenHash();
    String token = null;
    if (r.getRotateToken()) {
      token = Tokens.newTenantToken(r.getTenant().getMeta().getName());
      tenant.setTokenHash(Tokens.sha256Hex(token));
    }
    String issued = token;
    return submitter.submit(caller, Command.newBuilder()
            .setUpdateTenant(UpdateTenantCmd.newBuilder().setTenant(tenant)
                .setExpectedRevision(r.getExpectedRevision())))
        .thenApply(result -> issued != null
            ? Responses.tenantCreated(result, issued) : Responses.written(result));
  }

  CompletableFuture<Response> delete(Caller caller, DeleteRequest r) {
    Scope.requireAdmin(caller, "deleting a tenant");
    return submitter.submit(caller, Command.newBuilder()
            .setDeleteTenant(DeleteTenantCmd.newBuilder().setName(r.getName())
                .setExpectedRevision(r.getExpectedRevision())))
        .thenApply(Responses::written);
  }
}
