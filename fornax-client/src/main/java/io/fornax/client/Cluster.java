package io.fornax.client;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.api.proto.ClusterStatusRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Member;
import io.fornax.api.proto.Request;
import io.fornax.client.internal.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The replica group: members, roles, leader, term, commit and applied indexes. */
public final class Cluster {
  private final Calls calls;
  private final Duration probeTimeout;

  Cluster(Calls calls, Duration probeTimeout) {
    this.calls = calls;
    this.probeTimeout = probeTimeout;
  }

  /** The status as the first replica that answers sees it. */
  public CompletableFuture<ClusterStatus> statusAsync() {
    return calls.ok(Request.newBuilder().setClusterStatus(ClusterStatusRequest.getDefaultInstance()))
        .thenApply(r -> r.getClusterStatus());
  }

  public ClusterStatus status() {
    return Calls.await(statusAsync());
  }

  /**
   * Asks every replica directly (the configured endpoints and every member any of them names),
   * so a dead or partitioned one shows up as such rather than being skipped.
   */
  public List<ReplicaStatus> replicas() {
    Set<String> endpoints = new LinkedHashSet<>(calls.transport.endpoints());
    List<ReplicaStatus> out = new ArrayList<>();
    List<String> asked = new ArrayList<>();
    while (asked.size() < endpoints.size()) {
      List<String> round = new ArrayList<>(endpoints);
      round.removeAll(asked);
      List<CompletableFuture<ReplicaStatus>> probes = new ArrayList<>();
      for (String ep : round) {
        probes.add(probe(calls.transport, ep));
        asked.add(ep);
      }
      for (CompletableFuture<ReplicaStatus> p : probes) {
        ReplicaStatus s = p.join();
        out.add(s);
        if (s.status() != null) {
          for (Member m : s.status().getMembersList()) {
            if (!m.getApiAddress().isEmpty()) {
              endpoints.add(m.getApiAddress());
            }
          }
        }
      }
    }
    return out;
  }

  private CompletableFuture<ReplicaStatus> probe(Transport transport, String ep) {
    long start = System.nanoTime();
    return CompletableFuture.supplyAsync(() -> transport.connection(ep))
        .thenCompose(c -> c.call(Request.newBuilder()
            .setClusterStatus(ClusterStatusRequest.getDefaultInstance()).build()))
        .orTimeout(probeTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((r, e) -> {
          long ms = (System.nanoTime() - start) / 1_000_000;
          if (e != null) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String why = cause instanceof java.util.concurrent.TimeoutException
                ? "no answer within " + probeTimeout.toMillis() + " ms" : cause.getMessage();
            return new ReplicaStatus(ep, null, why, ms);
          }
          if (r.hasError() && r.getError().getCode() != ErrorCode.OK) {
            return new ReplicaStatus(ep, null, r.getError().getMessage(), ms);
          }
          return new ReplicaStatus(ep, r.getClusterStatus(), null, ms);
        });
  }
}
