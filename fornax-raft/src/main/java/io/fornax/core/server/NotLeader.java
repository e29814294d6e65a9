package io.fornax.core.server;

import io.fornax.api.proto.Error;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Response;

/** The answer to leader-only requests on another replica: NOT_LEADER and where the leader is. */
public final class NotLeader {
  private NotLeader() {}

  public static Response response(CoreBackend backend, String what) {
    String leaderApi = "";
    if (backend != null) {
      var status = backend.clusterStatus();
      leaderApi = status.getMembersList().stream()
          .filter(m -> m.getId().equals(status.getLeader())).map(m -> m.getApiAddress())
          .findFirst().orElse("");
    }
    return Response.newBuilder().setError(Error.newBuilder()
        .setCode(ErrorCode.NOT_LEADER).setLeaderApi(leaderApi)
        .setMessage(what + " go to the leader" + (leaderApi.isEmpty() ? "" : " at " + leaderApi)))
        .build();
  }
}
