package io.fornax.core;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.HostPort;
import io.fornax.core.ratis.LeaderListener;
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

  private final CoreConfig config;
  private final RaftReplica replica;
  private final ApiServer api;
  private final ScheduledExecutorService readiness = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "readiness");
    t.setDaemon(true);
    return t;
  });

  private CoreNode(CoreConfig config, RaftReplica replica, ApiServer api) {
    this.config = config;
    this.replica = replica;
    this.api = api;
  }

  /** Starts the replica and its API; logs one line once a leader is known, one on leadership. */
  public static CoreNode start(CoreConfig config, String adminTokenHash, LeaderListener scheduler,
      Clock clock) throws IOException, InterruptedException {
    LeaderListener logged = new LeaderListener() {
      @Override
      public void onLeaderReady(long term) {
        LOG.info("replica {} is now the leader (term {})", config.id, term);
        scheduler.onLeaderReady(term);
      }

      @Override
      public void onNotLeader() {
        LOG.info("replica {} is no longer the leader", config.id);
        scheduler.onNotLeader();
      }
    };
    RaftReplica replica = RaftReplica.start(config, logged, clock);
    HostPort apiAddress = HostPort.parse(config.self().api);
    ApiServer api;
    try {
      api = new ApiServer(replica, ApiServerConfig.of(apiAddress.host(), apiAddress.port(),
          adminTokenHash, config.api.maxFrameBytes)).start();
    } catch (RuntimeException | InterruptedException e) {
      replica.close();
      throw e;
    }
    CoreNode node = new CoreNode(config, replica, api);
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
    try {
      api.close();
    } finally {
      replica.close();
    }
  }
}
