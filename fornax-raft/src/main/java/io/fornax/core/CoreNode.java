package io.fornax.core;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.HostPort;
import io.fornax.core.leader.AgentGateway;
import io.fornax.core.leader.Collector;
import io.fornax.core.leader.SchedulerLoop;
import io.fornax.core.ratis.LeaderListener;
import io.fornax.scheduler.Scheduler;
import io.fornax.scheduler.SchedulerConfig;
import java.util.concurrent.atomic.AtomicReference;
import io.fornax.core.ratis.RaftReplica;
import io.fornax.core.server.ApiServer;
import io.fornax.core.server.ApiServerConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A whole core replica: the Raft replica and the API server in front of it. */
public final class CoreNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoreNode.class);
  // Finished resources removed per collection command: keeps one Raft entry small.
  private static final int COLLECT_BATCH = 5_000;

  private final CoreConfig config;
  private final RaftReplica replica;
  private final ApiServer api;
  private final ScheduledExecutorService readiness = Executors.newSingleThreadScheduledExecutor(io.fornax.api.Threads.daemon("readiness"));

  private final SchedulerLoop scheduler;
  private final AgentGateway agents;

  private CoreNode(CoreConfig config, RaftReplica replica, ApiServer api, SchedulerLoop scheduler,
      AgentGateway agents) {
    this.config = config;
    this.replica = replica;
    this.api = api;
    this.scheduler = scheduler;
    this.agents = agents;
  }

  /**
   * Starts the replica, its API and (while it leads) its scheduler; logs one line once a leader
   * is known and one on each change of leadership.
   */
  public static CoreNode start(CoreConfig config, String adminTokenHash, Clock clock)
      throws IOException, InterruptedException {
    AtomicReference<RaftReplica> replicaRef = new AtomicReference<>();
    SchedulerLoop scheduler = new SchedulerLoop(replicaRef::get,
        new Scheduler(SchedulerConfig.DEFAULT), config.scheduler.tick,
        config.scheduler.nodeNotReadyAfter, config.scheduler.nodeDownAfter,
        new Collector(config.scheduler.finishedRetention, config.scheduler.maxFinished,
            COLLECT_BATCH));
    AgentGateway agents = new AgentGateway(replicaRef::get, scheduler);
    LeaderListener logged = new LeaderListener() {
      @Override
      public void onLeaderReady(long term) {
        LOG.info("replica {} is now the leader (term {})", config.id, term);
        scheduler.onLeaderReady(term);
        agents.leaderChanged(); // agents waiting on this replica may connect now
      }

      @Override
      public void onLeaderChanged() {
        agents.leaderChanged();
      }

      @Override
      public void onNotLeader() {
        LOG.info("replica {} is no longer the leader", config.id);
        scheduler.onNotLeader();
        agents.dropAll();
      }
    };
    RaftReplica replica = RaftReplica.start(config, logged, clock);
    replicaRef.set(replica);
    HostPort apiAddress = HostPort.parse(config.self().api);
    ApiServer api;
    try {
      api = new ApiServer(replica, ApiServerConfig.of(apiAddress.host(), apiAddress.port(),
          adminTokenHash, config.api.maxFrameBytes).withTimeouts(config.api.frameTimeout,
          ApiServerConfig.DEFAULT_IDLE_TIMEOUT), scheduler, agents).start();
    } catch (RuntimeException | InterruptedException e) {
      replica.close();
      throw e;
    }
    CoreNode node = new CoreNode(config, replica, api, scheduler, agents);
    node.logWhenReady();
    return node;
  }

  private void logWhenReady() {
    readiness.scheduleWithFixedDelay(() -> {
      ClusterStatus s;
      try {
        s = replica.clusterStatus();
      } catch (RuntimeException e) {
        return;
      }
      if (!s.getLeader().isEmpty()) {
        LOG.info("replica {} ready: api {}:{}, raft {}, leader {}, term {}", config.id,
            HostPort.parse(config.self().api).host(), api.port(), config.self().raft,
            s.getLeader(), s.getTerm());
        readiness.shutdown();
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
  }

  public RaftReplica replica() {
    return replica;
  }

  public int apiPort() {
    return api.port();
  }

  public String id() {
    return config.id;
  }

  @Override
  public void close() throws IOException {
    readiness.shutdownNow();
    scheduler.close();
    agents.close();
    try {
      api.close();
    } finally {
      replica.close();
    }
  }
}
