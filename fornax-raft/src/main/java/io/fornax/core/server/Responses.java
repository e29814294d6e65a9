package io.fornax.core.server;

import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.Error;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.TenantCreated;

/** Shapes of the responses handlers send. Every resource goes out through {@link Scope#redact}. */
final class Responses {
  private Responses() {}

  static Response error(long id, ErrorCode code, String message) {
    return Response.newBuilder().setId(id)
        .setError(Error.newBuilder().setCode(code).setMessage(message)).build();
  }

  /** The resource a write produced (or {@code deleted}), at the write's revision. */
  static Response written(CommandResult result) {
    Response.Builder r = Response.newBuilder().setRevision(result.getRevision());
    if (result.hasResource()) {
      r.setResource(Scope.redact(result.getResource()));
    } else {
      r.setDeleted(result.getDeleted());
    }
    return r.build();
  }

  /** A tenant with its new token: the only time the token is shown. */
  static Response tenantCreated(CommandResult result, String token) {
    return Response.newBuilder().setRevision(result.getRevision())
        .setTenantCreated(TenantCreated.newBuilder()
            .setTenant(Scope.redact(result.getResource()).getTenant())
            .setToken(token))
        .build();
  }
}
