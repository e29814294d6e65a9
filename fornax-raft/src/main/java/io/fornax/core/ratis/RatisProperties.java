package io.fornax.core.ratis;

import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.HostPort;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** Every Ratis setting Fornax relies on, in one place (design §6 says why each matters). */
final class RatisProperties {
  private RatisProperties() {}

  static RaftProperties server(CoreConfig config, Path raftDir) {
    RaftProperties p = new RaftProperties();
    HostPort self = HostPort.parse(config.self().raft);
    GrpcConfigKeys.Server.setHost(p, self.host());
    GrpcConfigKeys.Server.setPort(p, self.port());
    RaftServerConfigKeys.setStorageDir(p, List.of(raftDir.toFile()));
    CoreConfig.Raft raft = config.raft;
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(raft.electionTimeoutMin.toMillis()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(raft.electionTimeoutMax.toMillis()));
    // Linearizable reads on any replica (ReadIndex); the gRPC transport supports them on followers.
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // Snapshots are off by default, wait for 1,024 entries when requested, and are all retained.
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, raft.snapshotThreshold);
    RaftServerConfigKeys.Snapshot.setCreationGap(p, 1);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, raft.snapshotsRetained);
    // Purge the log up to each snapshot so it does not grow without bound.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, 1);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(raft.segmentBytes));
    // Leave headroom over the largest group-commit batch.
    SizeInBytes entryLimit = SizeInBytes.valueOf(
        Math.max(4 << 20, 2L * config.groupCommit.maxBatchBytes + (64 << 10)));
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, entryLimit);
    // How often the leader tries a follower that keeps failing. Ratis' default waits 1 s after
    // 10 errors and 5 s after 30: a replica restarted after a few seconds down then heard nothing
    // for up to 5 s, and ran elections meanwhile; had another replica failed then, the group
    // would have waited for it. Past the first errors, every 100 ms, then every 500 ms.
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, APPENDER_RETRY_POLICY);
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(entryLimit.getSize() * 4));
    return p;
  }

  /** Sleep/count pairs, as Ratis parses them: 1 ms x 10, 100 ms x 20, then 500 ms. */
  static final String APPENDER_RETRY_POLICY = "1ms,10, 100ms,20, 500ms,100000000";

  static RaftProperties client(CoreConfig config) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, ms(3_000));
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 4096);
    SizeInBytes entryLimit = SizeInBytes.valueOf(
        Math.max(4 << 20, 2L * config.groupCommit.maxBatchBytes + (64 << 10)));
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(entryLimit.getSize() * 4));
    return p;
  }

  /** Bounded: the default retries forever without sleeping. */
  static RetryPolicy clientRetryPolicy() {
    return RetryPolicies.retryUpToMaximumCountWithFixedSleep(100, ms(50));
  }

  private static TimeDuration ms(long millis) {
    return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
  }
}
