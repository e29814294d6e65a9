package io.fornax.core.command;

import io.fornax.api.proto.CollectCmd;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.Deleted;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.ResourceRef;
import io.fornax.api.proto.Session;
import io.fornax.core.state.Table;
import java.util.Optional;

/**
 * Removes finished sessions and instances the leader chose to collect. Each is re-checked here:
 * one that is missing or no longer finished is left alone, so a stale command does no harm.
 */
final class CollectCommands {
  private CollectCommands() {}

  static CommandResult.Builder apply(ApplyContext ctx, CollectCmd cmd) {
    ctx.requireAdmin("collecting finished resources");
    for (ResourceRef ref : cmd.getSessionsList()) {
      String key = Table.SESSIONS.key(ref.getTenant(), ref.getName());
      Optional<Session> s = ctx.txn().get(Table.SESSIONS, key);
      if (s.isPresent() && Sessions.isTerminal(s.get())) {
        ctx.txn().delete(Table.SESSIONS, key);
        forgetIdempotencyKey(ctx, s.get());
      }
    }
    for (ResourceRef ref : cmd.getInstancesList()) {
      String key = Table.INSTANCES.key(ref.getTenant(), ref.getName());
      Optional<Instance> i = ctx.txn().get(Table.INSTANCES, key);
      if (i.isPresent() && isGone(i.get())) {
        ctx.txn().delete(Table.INSTANCES, key);
      }
    }
    return CommandResult.newBuilder().setDeleted(Deleted.getDefaultInstance());
  }

  /** TERMINATED or FAILED: nothing runs any more (TERMINATING still does, on its node). */
  static boolean isGone(Instance i) {
    return i.getState() == InstanceState.INSTANCE_TERMINATED
        || i.getState() == InstanceState.INSTANCE_FAILED;
  }

  private static void forgetIdempotencyKey(ApplyContext ctx, Session s) {
    String idem = s.getSpec().getIdempotencyKey();
    if (idem.isEmpty()) {
      return;
    }
    String key = Table.IDEMPOTENCY.key(s.getMeta().getTenant(), idem);
    Optional<com.google.protobuf.StringValue> first = ctx.txn().get(Table.IDEMPOTENCY, key);
    if (first.isPresent() && first.get().getValue().equals(s.getMeta().getName())) {
      ctx.txn().delete(Table.IDEMPOTENCY, key);
    }
  }
}
