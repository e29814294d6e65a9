package io.fornax.core.server;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Tenant;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.Table;
import java.util.concurrent.CompletableFuture;

/** Maps a request token to its caller: the admin, or one tenant. */
final class Authenticator {
  private static final Caller ADMIN = Caller.newBuilder().setAdmin(true).build();

  private final String adminTokenHash;
  private final CoreBackend backend;

  Authenticator(String adminTokenHash, CoreBackend backend) {
    this.adminTokenHash = adminTokenHash;
    this.backend = backend;
  }

  /**
   * Checks against this replica's applied state first. A tenant token it does not know yet may
   * belong to a tenant created a moment ago through another replica: one ReadIndex barrier
   * settles that before the token is refused.
   */
  CompletableFuture<Caller> authenticate(String token) {
    try {
      return CompletableFuture.completedFuture(check(token, backend.state()));
    } catch (FornaxException first) {
      if (token.isEmpty() || token.length() > 512 || token.indexOf('.') <= 0) {
        return CompletableFuture.failedFuture(first);
      }
      return backend.readBarrier().thenApply(ignored -> check(token, backend.state()));
    }
  }

  private Caller check(String token, ResourceState state) {
    if (token.isEmpty()) {
      throw new FornaxException(ErrorCode.UNAUTHENTICATED, "request has no token");
    }
    if (token.length() > 512) {
      throw invalid();
    }
    String hash = Tokens.sha256Hex(token);
    if (Tokens.sameHash(hash, adminTokenHash)) {
      return ADMIN;
    }
    int dot = token.indexOf('.');
    if (dot > 0) {
      String tenant = token.substring(0, dot);
      Tenant t = state.get(Table.TENANTS, tenant);
      if (t != null && Tokens.sameHash(hash, t.getTokenHash())) {
        return Caller.newBuilder().setTenant(tenant).setTokenHash(hash).build();
      }
    }
    throw invalid();
  }

  /**
   * Whether {@code caller} is still allowed in by {@code state}: the admin always; a tenant while
   * the token it came with is still the tenant's. Used after a read barrier, when the local state
   * holds every write acknowledged before the request (a token rotated through another replica
   * a moment ago included).
   */
  static boolean stillValid(Caller caller, ResourceState state) {
    if (caller.getAdmin() || caller.getTokenHash().isEmpty()) {
      return true;
    }
    Tenant t = state.get(Table.TENANTS, caller.getTenant());
    return t != null && Tokens.sameHash(caller.getTokenHash(), t.getTokenHash());
  }

  /** UNAUTHENTICATED for a caller {@link #stillValid} refused. */
  static FornaxException revoked() {
    return new FornaxException(ErrorCode.UNAUTHENTICATED,
        "token no longer valid (rotated, or its tenant deleted)");
  }

  /** Same answer whether or not the tenant exists, so tokens cannot be used to probe names. */
  private static FornaxException invalid() {
    return new FornaxException(ErrorCode.UNAUTHENTICATED, "invalid token");
  }
}
