package io.fornax.core.ratis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.core.config.CoreConfig;
import io.fornax.core.config.LoopbackCluster;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatisPropertiesTest {
  @TempDir Path tmp;

  /**
   * However long a follower has been failing, the leader tries it again within 500 ms (Ratis
   * spreads each wait over 50-150%), so a restarted replica is caught up soon after it comes
   * back (Ratis' default waits 5 s).
   */
  @Test
  void theLeaderRetriesAFailingFollowerWithinHalfASecond() throws Exception {
    CoreConfig config = LoopbackCluster.configs(tmp, 3, "00".repeat(32)).get(0);
    RaftProperties p = RatisProperties.server(config, tmp.resolve("raft"));
    String policy = RaftServerConfigKeys.Log.Appender.retryPolicy(p);
    RetryPolicy parsed = RetryPolicy.parse(policy, "appender");
    assertTrue(sleepMs(parsed, 1) <= 1, "the first errors retry at once");
    for (int errors : new int[] {11, 30, 31, 1_000, 100_000, 10_000_000}) {
      long ms = sleepMs(parsed, errors);
      assertTrue(ms > 0 && ms <= 750, errors + " errors: waits " + ms + " ms (" + policy + ")");
    }
  }

  private static long sleepMs(RetryPolicy policy, int errors) {
    return policy.handleAttemptFailure(() -> errors).getSleepTime()
        .toLong(TimeUnit.MILLISECONDS);
  }
}
