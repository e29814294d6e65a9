package io.fornax.client;

import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.TenantCreated;
import io.fornax.api.proto.UpdateTenantRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Tenants and their tokens: admin token only (a tenant token may read its own tenant). */
public final class Tenants {
  private final Calls calls;

  Tenants(Calls calls) {
    this.calls = calls;
  }

  /**
   * Creates a tenant; the answer carries its token, shown this once (only its hash is stored).
   * If the answer was lost and a retry finds the tenant, the token is gone with it: this fails
   * with {@link UnavailableException} saying so, and {@link #rotateToken} issues a new one.
   */
  public CompletableFuture<TenantCreated> createAsync(Tenant tenant) {
    return calls.send(Request.newBuilder().setCreateTenant(
            CreateTenantRequest.newBuilder().setTenant(tenant)))
        .thenApply(o -> {
          if (o.ambiguous() && o.code() == ErrorCode.ALREADY_EXISTS) {
            throw new UnavailableException(ErrorCode.UNAVAILABLE, "tenant \""
                + tenant.getMeta().getName() + "\" exists, but the answer carrying its token was"
                + " lost; issue a new token with rotateToken");
          }
          return Calls.require(o).getTenantCreated();
        });
  }

  public TenantCreated create(Tenant tenant) {
    return Calls.await(createAsync(tenant));
  }

  /** Creates a tenant with no quota (unlimited). */
  public TenantCreated create(String name) {
    return create(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name)).build());
  }

  /**
   * Replaces labels and quota.
   *
   * @param expectedRevision the revision read before (0: whatever is stored)
   */
  public CompletableFuture<Tenant> updateAsync(Tenant tenant, long expectedRevision) {
    return calls.ok(Request.newBuilder().setUpdateTenant(UpdateTenantRequest.newBuilder()
            .setTenant(tenant).setExpectedRevision(expectedRevision)))
        .thenApply(r -> r.hasTenantCreated() ? r.getTenantCreated().getTenant()
            : r.getResource().getTenant());
  }

  public Tenant update(Tenant tenant, long expectedRevision) {
    return Calls.await(updateAsync(tenant, expectedRevision));
  }

  /** Issues a new token for the tenant; the old one stops working at once. */
  public CompletableFuture<TenantCreated> rotateTokenAsync(String name) {
    return getAsync(name).thenCompose(t -> calls.ok(Request.newBuilder().setUpdateTenant(
            UpdateTenantRequest.newBuilder().setTenant(t.toBuilder().clearTokenHash())
                .setExpectedRevision(t.getMeta().getRevision()).setRotateToken(true))))
        .thenApply(r -> r.getTenantCreated());
  }

  public TenantCreated rotateToken(String name) {
    return Calls.await(rotateTokenAsync(name));
  }

  /** Deletes a tenant that owns nothing any more. */
  public CompletableFuture<Void> deleteAsync(String name) {
    return calls.delete(Kind.TENANT, name, 0);
  }

  public void delete(String name) {
    Calls.await(deleteAsync(name));
  }

  public CompletableFuture<Tenant> getAsync(String name) {
    return calls.get(Kind.TENANT, name, Resource::getTenant);
  }

  public Tenant get(String name) {
    return Calls.await(getAsync(name));
  }

  public CompletableFuture<List<Tenant>> listAsync() {
    return calls.list(Kind.TENANT, Map.of(), "", Resource::getTenant);
  }

  public List<Tenant> list() {
    return Calls.await(listAsync());
  }
}
