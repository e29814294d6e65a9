package io.fornax.core.server;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Resource;
import io.fornax.api.Resources;
import io.fornax.core.state.Table;

/** Who may see and change what: tenant isolation at the API door (apply checks writes again). */
final class Scope {
  private Scope() {}

  /**
   * The tenant a request acts on. Tenant callers always act on their own tenant; naming another
   * is refused. Admins name one (or none, for lists across every tenant).
   */
  static String tenant(Caller caller, String requested, boolean required) {
    if (!caller.getAdmin()) {
      if (!requested.isEmpty() && !requested.equals(caller.getTenant())) {
        throw new FornaxException(ErrorCode.PERMISSION_DENIED, "tenant \"" + caller.getTenant()
            + "\" may not act on tenant \"" + requested + "\"");
      }
      return caller.getTenant();
    }
    if (required && requested.isEmpty()) {
      throw FornaxException.invalid("tenant is required for admin requests");
    }
    return requested;
  }

  static void requireAdmin(Caller caller, String what) {
    if (!caller.getAdmin()) {
      throw new FornaxException(ErrorCode.PERMISSION_DENIED, what + " needs the admin token");
    }
  }

  /** The admin reads every tenant; a tenant caller only itself. */
  static boolean mayReadTenant(Caller caller, String tenantName) {
    return caller.getAdmin() || caller.getTenant().equals(tenantName);
  }

  /** Whether {@code caller} may see {@code r} when acting on {@code tenant} ("" = all, admin). */
  static boolean visible(Caller caller, String tenant, Resource r) {
    ObjectMeta meta = Resources.meta(r);
    return switch (r.getKindCase()) {
      case NODE -> true; // placement is no secret, and agents and tools need it
      case TENANT -> mayReadTenant(caller, meta.getName())
          && (tenant.isEmpty() || tenant.equals(meta.getName()));
      default -> tenant.isEmpty() ? caller.getAdmin() : tenant.equals(meta.getTenant());
    };
  }

  /** The table of a kind named in a request; an unset kind is the client's mistake. */
  static Table table(Kind kind) {
    if (kind == Kind.KIND_UNSPECIFIED || kind == Kind.UNRECOGNIZED) {
      throw FornaxException.invalid(
          "kind is required (TENANT, APPLICATION, SESSION, NODE or INSTANCE)");
    }
    return Table.of(kind);
  }

  /** The token hash never leaves the replica. */
  static Resource redact(Resource r) {
    if (r.hasTenant() && !r.getTenant().getTokenHash().isEmpty()) {
      return r.toBuilder().setTenant(r.getTenant().toBuilder().clearTokenHash()).build();
    }
    return r;
  }
}
