package io.fornax.core.server;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.Member;
import io.fornax.core.command.EntryApplier;
import io.fornax.core.state.EventLog;
import io.fornax.core.state.ResourceState;
import io.fornax.core.store.RocksStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A single replica without Raft, for API tests: each submitted command is applied at once, on
 * the caller's thread, by the real {@link EntryApplier} into a real RocksDB, at the next index
 * of term 1. Reads need no barrier. Every submitted command is recorded.
 */
final class InMemoryCoreBackend implements CoreBackend, AutoCloseable {
  private final ResourceState state = new ResourceState();
  private final RocksStore store;
  private final EventLog events;
  private final EntryApplier applier;
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final List<Command> submitted = new ArrayList<>();
  private long index;

  InMemoryCoreBackend(Path dir, int eventWindow) {
    store = RocksStore.open(dir.resolve("db"));
    events = new EventLog(eventWindow, 0);
    applier = new EntryApplier(state, () -> store, events);
  }

  @Override
  public synchronized CompletableFuture<CommandResult> submit(Command command) {
    submitted.add(command);
    index++;
    return CompletableFuture.completedFuture(applier.apply(command.toByteArray(), 1, index));
  }

  @Override
  public CompletableFuture<Void> readBarrier() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public ResourceState state() {
    return state;
  }

  @Override
  public EventLog events() {
    return events;
  }

  @Override
  public ClusterStatus clusterStatus() {
    long applied = state.appliedIndex();
    return ClusterStatus.newBuilder().setGroupId("test").setServedBy("core-1").setLeader("core-1")
        .setRole("LEADER").setTerm(1).setCommitIndex(applied).setAppliedIndex(applied)
        .addMembers(Member.newBuilder().setId("core-1").setRole("LEADER")
            .setRaftAddress("127.0.0.1:1").setApiAddress("127.0.0.1:2").setMatchIndex(applied))
        .build();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  synchronized List<Command> submitted() {
    return List.copyOf(submitted);
  }

  @Override
  public void close() {
    store.close();
  }
}
