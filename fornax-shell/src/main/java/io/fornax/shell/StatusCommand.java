package io.fornax.shell;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.api.proto.ClusterStatusRequest;
import io.fornax.api.proto.Member;
import io.fornax.api.proto.Request;
import io.fornax.client.internal.FornaxConnection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fornax status}: the Raft group as the answering replica sees it. */
@Command(name = "status", description = "Show the cluster: members, roles, leader, term, indexes.")
final class StatusCommand implements Callable<Integer> {
  @Mixin Target target;

  @Override
  public Integer call() {
    try (FornaxConnection c = target.connect()) {
      ClusterStatus s = Target.call(c, Request.newBuilder()
          .setClusterStatus(ClusterStatusRequest.getDefaultInstance())).getClusterStatus();
      System.out.printf("leader %s  term %d  commit %d  applied %d  (answered by %s)%n",
          s.getLeader().isEmpty() ? "<none>" : s.getLeader(), s.getTerm(), s.getCommitIndex(),
          s.getAppliedIndex(), s.getServedBy());
      System.out.printf("%-10s %-9s %-22s %-22s %-10s %s%n", "MEMBER", "ROLE", "RAFT", "API",
          "MATCH", "LAST-SEEN");
      for (Member m : s.getMembersList()) {
        System.out.printf("%-10s %-9s %-22s %-22s %-10s %s%n", m.getId(), m.getRole(),
            m.getRaftAddress(), m.getApiAddress(), m.getMatchIndex() <= 0 ? "-" : m.getMatchIndex(),
            m.getLastResponseMs() < 0 ? "-" : m.getLastResponseMs() + "ms");
      }
    }
    return 0;
  }
}
