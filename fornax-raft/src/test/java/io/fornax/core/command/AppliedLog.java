package io.fornax.core.command;

import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.StateTxn;

/** Commands applied one after the other to a fresh state, as the log would: indexes 1, 2, … */
public final class AppliedLog {
  public final ResourceState state = new ResourceState();
  private final CommandApplier applier = new CommandApplier();
  private long index;

  public CommandResult apply(Command c) {
    return apply(c, 1);
  }

  /** Applies {@code c} as the next entry, written in leader term {@code term}. */
  public CommandResult apply(Command c, long term) {
    StateTxn txn = new StateTxn(state);
    CommandResult r = applier.apply(txn, c, term, ++index);
    state.publish(txn.changes(), term, index);
    return r;
  }
}
