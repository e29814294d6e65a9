package io.fornax.core.ratis;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fornax.api.FornaxException;
import io.fornax.api.Futures;
import io.fornax.api.proto.ClusterStatus;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.server.CoreBackend;
import io.fornax.core.state.EventLog;
import io.fornax.core.state.ResourceState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Fornax Core replica: a Ratis server whose state machine is {@link FornaxStateMachine}, plus
 * a Ratis client through which this replica's API proposes writes (Ratis forwards them to the
 * leader) and runs ReadIndex barriers against itself.
 */
public final class RaftReplica implements CoreBackend, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftReplica.class);

  private final CoreConfig config;
  private final RaftGroup group;
  private final RaftPeerId selfId;
  private final ResourceState state = new ResourceState();
  private final EventLog events;
  private final FornaxStateMachine stateMachine;
  private final RaftServer server;
  private final RaftClient client;
  /** While this replica leads: a client pinned to it, made afresh for each term it leads. */
  private RaftClient selfClient;
  private long selfClientTerm = -1;
  private final GroupCommitter committer;
  private final Clock clock;

  private RaftReplica(CoreConfig config, LeaderListener leaderListener, Clock clock)
      throws IOException {
    this.config = config;
    this.clock = clock;
    this.selfId = RaftPeerId.valueOf(config.id);
    this.group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.fromString(config.groupId)),
        config.peers.stream().map(p -> RaftPeer.newBuilder().setId(p.id).setAddress(p.raft).build())
            .toList());
    Path data = config.dataPath();
    Files.createDirectories(data);
    this.events = new EventLog(config.watch.windowEvents, 0);
    this.stateMachine = new FornaxStateMachine(data.resolve("db"), state, events, leaderListener);
    RaftProperties props = RatisProperties.server(config, data.resolve("raft"));
    this.server = RaftServer.newBuilder()
        .setServerId(selfId)
        .setGroup(group)
        .setProperties(props)
        .setStateMachine(stateMachine)
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    this.client = newClient(null);
    CoreConfig.GroupCommit gc = config.groupCommit;
    this.committer = new GroupCommitter(this::propose, gc.maxInFlight,
        gc.enabled ? gc.maxBatch : 1, gc.maxBatchBytes);
  }

  /** Starts the replica; it joins its group and serves once a leader is elected. */
  public static RaftReplica start(CoreConfig config, LeaderListener listener, Clock clock)
      throws IOException {
    RaftReplica r = new RaftReplica(config, listener, clock);
    r.server.start();
    LOG.info("replica {} started: raft {}, data {}", config.id, config.self().raft, config.dataDir);
    return r;
  }

  @Override
  public CompletableFuture<CommandResult> submit(Command command) {
    return committer.submit(command)
        .orTimeout(config.api.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(toFornax(e)));
  }

  private RaftClient newClient(RaftPeerId leader) {
    RaftClient.Builder b = RaftClient.newBuilder()
        .setRaftGroup(group)
        .setProperties(RatisProperties.client(config))
        .setRetryPolicy(RatisProperties.clientRetryPolicy());
    return (leader == null ? b : b.setLeaderId(leader)).build();
  }

  /**
   * The client to propose with. The shared client remembers the leader it last reached; after a
   * failover it keeps sending to the old leader until that answers, and a frozen old leader never
   * does, so a new leader's own writes (its scheduler, agent connects) would stall for seconds.
   * A leader therefore writes through a client pinned to itself.
   */
  private boolean closed;

  private synchronized RaftClient writer() {
    DivisionInfo info;
    try {
      info = server.getDivision(group.getGroupId()).getInfo();
    } catch (IOException e) {
      return client;
    }
    if (!info.isLeader() || closed) {
      return client;
    }
    long term = info.getCurrentTerm();
    if (term != selfClientTerm) {
      RaftClient old = selfClient;
      selfClient = newClient(selfId);
      selfClientTerm = term;
      if (old != null) { // after its last requests had their time
        CompletableFuture.delayedExecutor(2 * config.api.requestTimeout.toMillis(),
            TimeUnit.MILLISECONDS).execute(() -> closeQuietly(old));
      }
    }
    return selfClient;
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (IOException e) {
      LOG.debug("closing a client: {}", e.toString());
    }
  }

  /** Proposes one Raft entry and decodes its result. */
  private CompletableFuture<CommandResult> propose(Command entry) {
    return writer().async()
        .send(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry.toByteArray())))
        .thenApply(RaftReplica::decode);
  }

  private static CommandResult decode(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new CompletionException(reply.getException());
    }
    try {
      return CommandResult.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      throw new FornaxException(ErrorCode.INTERNAL, "undecodable command result", e);
    }
  }

  /**
   * A ReadIndex barrier. A leader that cannot give a read index yet (just elected, its first
   * entry of the term not committed: {@code ReadIndexException}) is asked again with back-off
   * within the request timeout instead of failing the read at once.
   */
  @Override
  public CompletableFuture<Void> readBarrier() {
    return readBarrier(System.nanoTime() + config.api.requestTimeout.toNanos(), 10);
  }

  private CompletableFuture<Void> readBarrier(long deadline, long backoffMs) {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    // Unordered: a slow read must not hold up the writes queued behind it on the same client.
    return client.async().sendReadOnlyUnordered(Message.EMPTY, selfId)
        .orTimeout(Math.max(1, left), TimeUnit.MILLISECONDS)
        .thenCompose(reply -> {
          if (reply.isSuccess()) {
            return CompletableFuture.<Void>completedFuture(null);
          }
          if (reply.getException() instanceof ReadIndexException
              && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) < deadline) {
            Executor later = CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, later).thenCompose(ignored ->
                readBarrier(deadline, Math.min(backoffMs * 2, 200)));
          }
          return CompletableFuture.<Void>failedFuture(reply.getException());
        })
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(toFornax(e)));
  }

  static FornaxException toFornax(Throwable e) {
    Throwable cause = Futures.cause(e);
    if (cause instanceof FornaxException f) {
      return f;
    }
    if (cause instanceof StateMachineException sme
        && sme.getCause() instanceof FornaxStateMachine.InvalidCommandException ic) {
      return new FornaxException(ErrorCode.INVALID_ARGUMENT, "command refused: " + ic.getMessage());
    }
    if (cause instanceof TimeoutException) {
      return new FornaxException(ErrorCode.TIMEOUT,
          "not committed in time: the cluster may have no leader (is a majority of replicas up?)");
    }
    return new FornaxException(ErrorCode.UNAVAILABLE, "cluster unavailable: " + cause);
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
  public Clock clock() {
    return clock;
  }

  @Override
  public ClusterStatus clusterStatus() {
    try {
      return ClusterStatusReader.read(server.getDivision(group.getGroupId()), config, state);
    } catch (IOException e) {
      throw new FornaxException(ErrorCode.UNAVAILABLE, "replica not ready: " + e.getMessage());
    }
  }

  public String id() {
    return config.id;
  }

  @Override
  public String leaderApiElsewhere() {
    try {
      org.apache.ratis.protocol.RaftPeerId leader =
          server.getDivision(group.getGroupId()).getInfo().getLeaderId();
      if (leader == null || leader.toString().equals(config.id)) {
        return "";
      }
      for (CoreConfig.Peer p : config.peers) {
        if (p.id.equals(leader.toString())) {
          return p.api;
        }
      }
      return "";
    } catch (IOException e) {
      return "";
    }
  }

  public boolean isLeader() {
    try {
      return server.getDivision(group.getGroupId()).getInfo().isLeaderReady();
    } catch (IOException e) {
      return false;
    }
  }

  /** Takes a snapshot now (whatever the automatic threshold says); returns its index. */
  public long takeSnapshot() throws IOException {
    RaftClientReply reply = client.getSnapshotManagementApi(selfId).create(0, 30_000);
    if (!reply.isSuccess()) {
      throw reply.getException();
    }
    return reply.getLogIndex();
  }

  public long firstLogIndex() throws IOException {
    return server.getDivision(group.getGroupId()).getRaftLog().getStartIndex();
  }

  public List<String> peerIds() {
    return config.peers.stream().map(p -> p.id).toList();
  }

  @Override
  public void close() throws IOException {
    try {
      RaftClient self;
      synchronized (this) {
        self = selfClient;
        selfClient = null;
        closed = true;
      }
      // Outside the lock: closing fails the client's pending requests, whose callbacks (the
      // group committer sending its next batch) call writer(), which takes the lock.
      if (self != null) {
        closeQuietly(self);
      }
      client.close();
    } finally {
      server.close();
    }
    LOG.info("replica {} stopped", config.id);
  }
}
