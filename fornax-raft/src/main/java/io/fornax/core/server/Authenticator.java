package io.fornax.core.server;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Tenant;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.Table;

/** Maps a request token to its caller: the admin, or one tenant. */
final class Authenticator {
  private static final Caller ADMIN = Caller.newBuilder().setAdmin(true).build();

  private final String adminTokenHash;
  private final ResourceState state;

  Authenticator(String adminTokenHash, ResourceState state) {
    this.adminTokenHash = adminTokenHash;
    this.state = state;
  }

  Caller authenticate(String token) {
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
        return Caller.newBuilder().setTenant(tenant).build();
      }
    }
    throw invalid();
  }

  /** Same answer whether or not the tenant exists, so tokens cannot be used to probe names. */
  private static FornaxException invalid() {
    return new FornaxException(ErrorCode.UNAUTHENTICATED, "invalid token");
  }
}
