package io.fornax.core.command;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.EventType;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Resource;
import io.fornax.core.state.Change;
import io.fornax.core.state.ChangeEvent;
import io.fornax.core.state.EventLog;
import io.fornax.core.state.ResourceState;
import io.fornax.api.Resources;
import io.fornax.core.state.StateTxn;
import io.fornax.core.store.RocksStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Applies one Raft entry: decode, run the pure {@link CommandApplier}, store the writes and the
 * entry position in one batch, publish them to the in-memory state and to watchers. Entries at or
 * below the stored applied index were applied before a restart and are skipped.
 */
public final class EntryApplier {
  private final CommandApplier applier = new CommandApplier();
  private final ResourceState state;
  private final Supplier<RocksStore> store;
  private final EventLog events;

  public EntryApplier(ResourceState state, Supplier<RocksStore> store, EventLog events) {
    this.state = state;
    this.store = store;
    this.events = events;
  }

  /** Returns the command's result, or {@code null} when the entry had already been applied. */
  public CommandResult apply(byte[] data, long term, long index) {
    if (index <= state.appliedIndex()) {
      return null;
    }
    Command command;
    try {
      command = Command.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      // startTransaction only lets valid commands in: a bad one here means corruption.
      throw new IllegalStateException("undecodable command at index " + index, e);
    }
    StateTxn txn = new StateTxn(state);
    CommandResult result = applier.apply(txn, command, term, index);
    List<Change> changes = txn.changes();
    store.get().write(changes, term, index);
    state.publish(changes, term, index);
    events.append(toEvents(changes, index), index);
    return result;
  }

  static List<ChangeEvent> toEvents(List<Change> changes, long index) {
    List<ChangeEvent> out = new ArrayList<>(changes.size());
    for (Change c : changes) {
      if (c.table().kind() == null || (c.isDelete() && c.previous() == null)) {
        continue;
      }
      Resource r = Resources.wrap(c.isDelete() ? c.previous() : c.value());
      ObjectMeta meta = Resources.meta(r);
      out.add(new ChangeEvent(index, c.isDelete() ? EventType.DELETE : EventType.PUT,
          c.table().kind(), meta.getTenant(), meta.getName(), r));
    }
    return out;
  }
}
