package io.fornax.shell.commands;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Member;
import io.fornax.client.FornaxClient;
import io.fornax.client.ReplicaStatus;
import io.fornax.client.UnavailableException;
import io.fornax.shell.output.Table;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The replica group, each replica asked directly so a dead one shows as such. */
final class ClusterView {
  private ClusterView() {}

  static int print(FornaxClient client, PrintWriter out) {
    List<ReplicaStatus> replicas = client.cluster().replicas();
    Map<String, ReplicaStatus> byEndpoint = new LinkedHashMap<>();
    ClusterStatus view = null;
    for (ReplicaStatus r : replicas) {
      byEndpoint.put(r.endpoint(), r);
      if (r.healthy() && (view == null || "LEADER".equalsIgnoreCase(r.status().getRole()))) {
        view = r.status();
      }
    }
    if (view == null) {
      throw new UnavailableException(ErrorCode.UNAVAILABLE, "no replica answers: "
          + replicas.stream().map(r -> r.endpoint() + " (" + r.error() + ")").toList());
    }
    out.printf("group %s  leader %s  term %d%n", view.getGroupId(),
        view.getLeader().isEmpty() ? "<none>" : view.getLeader(), view.getTerm());
    Table t = new Table("MEMBER", "ROLE", "RAFT", "API", "TERM", "COMMIT", "APPLIED", "HEALTH");
    for (Member m : view.getMembersList()) {
      ReplicaStatus r = byEndpoint.remove(m.getApiAddress());
      row(t, m.getId(), m.getRaftAddress(), m.getApiAddress(), r);
    }
    for (ReplicaStatus r : byEndpoint.values()) { // configured but not a member
      row(t, "?", "", r.endpoint(), r);
    }
    out.print(t.render());
    out.flush();
    return 0;
  }

  private static void row(Table t, String id, String raft, String api, ReplicaStatus r) {
    if (r == null || !r.healthy()) {
      t.row(id, "", raft, api, "", "", "", "down: " + (r == null ? "not asked" : r.error()));
      return;
    }
    ClusterStatus s = r.status();
    t.row(id, s.getRole(), raft, api, Long.toUnsignedString(s.getTerm()),
        Long.toUnsignedString(s.getCommitIndex()), Long.toUnsignedString(s.getAppliedIndex()),
        "ok (" + r.latencyMs() + "ms)");
  }
}
