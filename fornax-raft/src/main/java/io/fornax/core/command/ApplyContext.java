package io.fornax.core.command;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.core.state.StateTxn;

/** What one command sees while it is applied: its staged writes, the entry's position, its time. */
record ApplyContext(StateTxn txn, long term, long index, long nowMs, Caller caller) {

  /** Meta for a resource created by this entry. */
  ObjectMeta created(ObjectMeta requested) {
    return requested.toBuilder()
        .setRevision(index)
        .setCreateRevision(index)
        .setGeneration(index)
        .setCreatedAtMs(nowMs)
        .setUpdatedAtMs(nowMs)
        .build();
  }

  /** Meta of an existing resource changed by this entry. */
  ObjectMeta touched(ObjectMeta current) {
    return current.toBuilder().setRevision(index).setUpdatedAtMs(nowMs).build();
  }

  void requireAdmin(String what) {
    if (!caller.getAdmin()) {
      throw new FornaxException(ErrorCode.PERMISSION_DENIED, what + " needs the admin token");
    }
  }

  /** A tenant caller may only touch its own tenant's resources. */
  void requireTenant(String tenant) {
    if (!caller.getAdmin() && !caller.getTenant().equals(tenant)) {
      throw new FornaxException(ErrorCode.PERMISSION_DENIED,
          "tenant \"" + caller.getTenant() + "\" may not act on tenant \"" + tenant + "\"");
    }
  }

  static void checkRevision(String what, long expected, long current) {
    if (expected != 0 && expected != current) {
      throw FornaxException.conflict(
          "%s was modified: expected revision %d, current revision %d", what, expected, current);
    }
  }
}
