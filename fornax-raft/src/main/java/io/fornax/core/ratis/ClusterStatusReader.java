package io.fornax.core.ratis;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.api.proto.Member;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.state.ResourceState;
import java.util.HashMap;
import java.util.Map;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

/** Builds the API's cluster status from this replica's Raft view. */
final class ClusterStatusReader {
  private ClusterStatusReader() {}

  static ClusterStatus read(RaftServer.Division division, CoreConfig config, ResourceState state) {
    DivisionInfo info = division.getInfo();
    RaftPeerId leader = info.getLeaderId();
    ClusterStatus.Builder s = ClusterStatus.newBuilder()
        .setGroupId(config.groupId)
        .setServedBy(config.id)
        .setRole(info.getCurrentRole().name())
        .setLeader(leader == null ? "" : leader.toString())
        .setTerm(info.getCurrentTerm())
        .setCommitIndex(division.getRaftLog().getLastCommittedIndex())
        .setAppliedIndex(state.appliedIndex());
    Map<String, Long> lastResponse = new HashMap<>();
    Map<String, Long> matchIndex = new HashMap<>();
    RoleInfoProto role = info.getRoleInfoProto();
    if (info.isLeader() && role.hasLeaderInfo()) {
      long[] matches = info.getFollowerMatchIndices();
      int i = 0;
      for (ServerRpcProto f : role.getLeaderInfo().getFollowerInfoList()) {
        String id = RaftPeerId.valueOf(f.getId().getId()).toString();
        lastResponse.put(id, f.getLastRpcElapsedTimeMs());
        if (matches != null && i < matches.length) {
          matchIndex.put(id, matches[i]);
        }
        i++;
      }
    }
    for (CoreConfig.Peer p : config.peers) {
      boolean self = p.id.equals(config.id);
      String memberRole = p.id.equals(s.getLeader()) ? "LEADER"
          : self ? info.getCurrentRole().name() : "FOLLOWER";
      s.addMembers(Member.newBuilder()
          .setId(p.id)
          .setRaftAddress(p.raft)
          .setApiAddress(p.api)
          .setRole(memberRole)
          .setMatchIndex(self ? division.getRaftLog().getFlushIndex() : matchIndex.getOrDefault(p.id, 0L))
          .setLastResponseMs(self ? 0 : lastResponse.getOrDefault(p.id, -1L)));
    }
    return s.build();
  }
}
