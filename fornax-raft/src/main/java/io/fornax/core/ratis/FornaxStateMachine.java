package io.fornax.core.ratis;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.core.command.EntryApplier;
import io.fornax.core.state.EventLog;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.ResourceStateLoader;
import io.fornax.core.store.RocksStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis adapter around {@link EntryApplier}: decode, apply, record the applied position.
 * The live RocksDB lives outside the Ratis storage folder (a snapshot install replaces that
 * folder); snapshots are RocksDB checkpoints inside it. All state changes, apply and snapshot
 * restore alike, happen under this object's monitor.
 */
public final class FornaxStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(FornaxStateMachine.class);

  private final Path liveDir;
  private final ResourceState state;
  private final EventLog events;
  private final LeaderListener leaderListener;
  private final CheckpointSnapshotStorage storage = new CheckpointSnapshotStorage();
  private volatile RocksStore store;
  private EntryApplier applier;

  public FornaxStateMachine(Path liveDir, ResourceState state, EventLog events,
      LeaderListener leaderListener) {
    this.liveDir = liveDir;
    this.state = state;
    this.events = events;
    this.leaderListener = leaderListener;
  }

  @Override
  public CheckpointSnapshotStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public FileListSnapshotInfo getLatestSnapshot() {
    return storage.getLatestSnapshot();
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    getLifeCycle().startAndTransition(this::openLive, IOException.class);
  }

  @Override
  public synchronized void pause() {
    LifeCycle lc = getLifeCycle();
    if (lc.getCurrentState() != LifeCycle.State.RUNNING) {
      return;
    }
    lc.transition(LifeCycle.State.PAUSING);
    closeLive();
    lc.transition(LifeCycle.State.PAUSED);
  }

  /** After a snapshot install: the live state is rebuilt from the installed checkpoint. */
  @Override
  public synchronized void reinitialize() throws IOException {
    getLifeCycle().transition(LifeCycle.State.STARTING);
    storage.reload();
    closeLive();
    restoreFromLatestSnapshot();
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  /** Opens the live DB; if it is behind the latest snapshot (e.g. lost writes), restores first. */
  private synchronized void openLive() throws IOException {
    FileListSnapshotInfo snapshot = storage.getLatestSnapshot();
    RocksStore opened = RocksStore.open(liveDir);
    long storedIndex = opened.applied()[1];
    if (snapshot != null && storedIndex < snapshot.getIndex()) {
      LOG.info("live state at index {} is behind snapshot {}; restoring it", storedIndex,
          snapshot.getTermIndex());
      opened.close();
      restoreFromLatestSnapshot();
    } else {
      load(opened);
      setLastAppliedTermIndex(snapshot != null ? snapshot.getTermIndex()
          : TermIndex.valueOf(state.appliedTerm(), state.appliedIndex()));
    }
  }

  private void restoreFromLatestSnapshot() throws IOException {
    Path from = storage.latestDir();
    FileListSnapshotInfo snapshot = storage.getLatestSnapshot();
    if (from == null || snapshot == null) {
      throw new IOException("no snapshot to restore from in " + storage);
    }
    CheckpointSnapshotStorage.deleteRecursively(liveDir);
    Files.createDirectories(liveDir);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f) && !f.getFileName().toString().endsWith(".md5")) {
          Files.copy(f, liveDir.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    load(RocksStore.open(liveDir));
    setLastAppliedTermIndex(snapshot.getTermIndex());
    LOG.info("restored state from snapshot {} ({} applied)", snapshot.getTermIndex(),
        state.appliedIndex());
  }

  private void load(RocksStore opened) {
    ResourceState fresh = new ResourceState();
    opened.loadInto(ResourceStateLoader.into(fresh));
    state.replaceWith(fresh);
    events.reset(state.appliedIndex());
    store = opened;
    applier = new EntryApplier(state, () -> store, events);
  }

  private void closeLive() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  /** Refuses undecodable or empty commands before they reach the log. */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    TransactionContext trx = super.startTransaction(request);
    try {
      Command c = Command.parseFrom(request.getMessage().getContent().asReadOnlyByteBuffer());
      CommandChecks.check(c);
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      trx.setException(new InvalidCommandException(e.getMessage()));
    }
    return trx;
  }

  @Override
  public synchronized CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long term = entry.getTerm();
    long index = entry.getIndex();
    byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
    CommandResult result;
    try {
      result = applier.apply(data, term, index);
    } catch (RuntimeException e) {
      // Corruption or a storage failure: stop this replica rather than diverge.
      LOG.error("fatal: cannot apply entry {}", TermIndex.valueOf(term, index), e);
      throw e;
    }
    advanceApplied(term, index);
    byte[] reply = result == null ? new byte[0] : result.toByteArray();
    return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
  }

  /**
   * Entries that are not commands (configuration, metadata) move the applied index too. After
   * a restart without a snapshot Ratis replays its log from the start while the live state is
   * already further (it is durable in RocksDB): those replayed entries must not move it back.
   */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    advanceApplied(term, index);
  }

  private void advanceApplied(long term, long index) {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || index > last.getIndex()) {
      updateLastAppliedTermIndex(term, index);
    }
  }

  /** Reads are served from memory after this completes; here it is only the ReadIndex barrier. */
  @Override
  public CompletableFuture<Message> query(Message request) {
    return CompletableFuture.completedFuture(Message.EMPTY);
  }

  @Override
  public synchronized long takeSnapshot() throws IOException {
    TermIndex ti = getLastAppliedTermIndex();
    if (ti == null || ti.getIndex() <= 0 || store == null) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    Path target = storage.snapshotDir(ti);
    if (!Files.exists(target)) {
      Path tmp = storage.tmpDir(ti);
      CheckpointSnapshotStorage.deleteRecursively(tmp);
      store.checkpoint(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      storage.reload();
      LOG.info("snapshot {} taken", ti);
    }
    return ti.getIndex();
  }

  @Override
  public void notifyLeaderReady() {
    try {
      long term = getServer().get().getDivision(getGroupId()).getInfo().getCurrentTerm();
      leaderListener.onLeaderReady(term);
    } catch (Exception e) {
      LOG.warn("leader hook failed", e);
    }
  }

  @Override
  public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
    leaderListener.onNotLeader();
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
    leaderListener.onLeaderChanged();
  }

  @Override
  public synchronized void close() throws IOException {
    closeLive();
    super.close();
  }

  /** The command was refused before reaching the log; the caller sees INVALID_ARGUMENT. */
  public static final class InvalidCommandException extends IOException {
    public InvalidCommandException(String message) {
      super(message);
    }
  }
}
