package io.fornax.it;

import static org.awaitility.Awaitility.await;

import io.fornax.api.proto.NodeState;
import io.fornax.client.FornaxClient;
import java.time.Duration;

/** Common first steps of the scenarios. */
final class Setup {
  private Setup() {}

  /** Creates {@code tenant}, waits until {@code nodes} nodes are READY; an admin view of it. */
  static FornaxClient tenantWithNodes(FornaxCluster cluster, String tenant, int nodes) {
    FornaxClient admin = cluster.client();
    admin.tenants().create(tenant);
    awaitReadyNodes(admin, nodes);
    return admin.withTenant(tenant);
  }

  static void awaitReadyNodes(FornaxClient admin, int nodes) {
    await(nodes + " nodes READY").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> admin.nodes().list().stream()
            .filter(n -> n.getStatus().getState() == NodeState.NODE_READY).count() >= nodes);
  }
}
