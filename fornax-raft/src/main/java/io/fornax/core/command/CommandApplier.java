package io.fornax.core.command;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.BatchResult;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Tenant;
import io.fornax.core.state.StateTxn;
import io.fornax.core.state.Table;
import java.util.Optional;

/**
 * The pure heart of the replicated state machine: {@code apply(txn, command, term, index)}. No
 * clock, randomness or I/O: everything it needs arrives in the command or the entry position.
 * Business failures come back as results; only a bug throws something other than
 * {@link FornaxException}.
 */
public final class CommandApplier {

  public CommandResult apply(StateTxn txn, Command command, long term, long index) {
    if (command.hasBatch()) {
      BatchResult.Builder results = BatchResult.newBuilder();
      for (Command inner : command.getBatch().getCommandsList()) {
        results.addResults(applyOne(txn, inner, term, index));
      }
      return CommandResult.newBuilder().setRevision(index).setBatch(results).build();
    }
    return applyOne(txn, command, term, index);
  }

  /**
   * A tenant's command carries the hash of the token it came in with: once the tenant's token
   * was rotated (or the tenant deleted) by an earlier entry, the command is refused, whichever
   * replica let it in. Commands without a hash (the leader's own, or older logs) are not checked.
   */
  private static void requireCurrentToken(StateTxn txn, Caller caller) {
    if (caller.getAdmin() || caller.getTokenHash().isEmpty()) {
      return;
    }
    Optional<Tenant> t = txn.get(Table.TENANTS, caller.getTenant());
    if (t.isEmpty() || !t.get().getTokenHash().equals(caller.getTokenHash())) {
      throw new FornaxException(ErrorCode.UNAUTHENTICATED,
          "token no longer valid (rotated, or its tenant deleted)");
    }
  }

  /** Applies one command in a child transaction that is dropped if the command fails. */
  private CommandResult applyOne(StateTxn txn, Command command, long term, long index) {
    StateTxn child = txn.child();
    try {
      if (command.getFenceTerm() != 0 && command.getFenceTerm() != term) {
        throw new FornaxException(ErrorCode.FENCED, String.format(
            "command of leader term %d rejected in term %d", command.getFenceTerm(), term));
      }
      requireCurrentToken(child, command.getCaller());
      ApplyContext ctx = new ApplyContext(child, term, index, command.getNowMs(), command.getCaller());
      CommandResult.Builder result = dispatch(ctx, command);
      child.commitToParent();
      return result.setRevision(index).build();
    } catch (FornaxException e) {
      return CommandResult.newBuilder().setError(e.toProto()).setRevision(index).build();
    }
  }

  private CommandResult.Builder dispatch(ApplyContext ctx, Command c) {
    return switch (c.getBodyCase()) {
      case CREATE_TENANT -> TenantCommands.create(ctx, c.getCreateTenant());
      case UPDATE_TENANT -> TenantCommands.update(ctx, c.getUpdateTenant());
      case DELETE_TENANT -> TenantCommands.delete(ctx, c.getDeleteTenant());
      case CREATE_APPLICATION -> ApplicationCommands.create(ctx, c.getCreateApplication());
      case UPDATE_APPLICATION -> ApplicationCommands.update(ctx, c.getUpdateApplication());
      case DELETE_APPLICATION -> ApplicationCommands.delete(ctx, c.getDeleteApplication());
      case OPEN_SESSION -> SessionCommands.open(ctx, c.getOpenSession());
      case CLOSE_SESSION -> SessionCommands.close(ctx, c.getCloseSession());
      case REGISTER_NODE -> NodeCommands.register(ctx, c.getRegisterNode());
      case DELETE_NODE -> NodeCommands.delete(ctx, c.getDeleteNode());
      case DRAIN_NODE -> NodeCommands.drain(ctx, c.getDrainNode());
      case APPLY_PLAN -> PlanCommands.apply(ctx, c.getApplyPlan());
      case NODE_TRANSITION -> NodeCommands.transition(ctx, c.getNodeTransition());
      case NODE_REPORT -> ReportCommands.apply(ctx, c.getNodeReport());
      case COLLECT -> CollectCommands.apply(ctx, c.getCollect());
      case BATCH -> throw FornaxException.invalid("batches do not nest");
      case BODY_NOT_SET -> throw FornaxException.invalid("command has no body");
    };
  }
}
