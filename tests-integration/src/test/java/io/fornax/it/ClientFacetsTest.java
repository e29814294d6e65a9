package io.fornax.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.ClusterStatus;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.TenantCreated;
import io.fornax.client.AlreadyExistsException;
import io.fornax.client.ConflictException;
import io.fornax.client.FornaxClient;
import io.fornax.client.InvalidArgumentException;
import io.fornax.client.NotFoundException;
import io.fornax.client.OpenOptions;
import io.fornax.client.ReplicaStatus;
import io.fornax.client.SessionFailedException;
import io.fornax.client.UnauthorizedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every facet of the client against a real 3-replica group with simulated nodes. */
class ClientFacetsTest {
  @TempDir
  static Path root;
  static InJvmCluster cluster;
  static FornaxClient admin;
  static FornaxClient tenant;

  @BeforeAll
  static void start() throws Exception {
    cluster = new InJvmCluster(root).withSimulatedNodes(2, Duration.ofMillis(20),
        Duration.ofMillis(5));
    admin = cluster.client(InJvmCluster.ADMIN);
    TenantCreated t = admin.tenants().create("acme");
    tenant = cluster.client(t.getToken());
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  static Application app(String name, int maxInstances) {
    return Application.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/true"))
            .setScaling(ScalingPolicy.newBuilder().setMaxInstances(maxInstances)
                .setIdleSessionsLow(1).setIdleSessionsHigh(2).setBurst(5)))
        .build();
  }

  @Test
  void applicationsCreateGetListUpdateDelete() {
    Application created = tenant.applications().create(app("crud", 3));
    assertEquals("acme", created.getMeta().getTenant());
    assertTrue(created.getMeta().getRevision() > 0);
    assertEquals(3, tenant.applications().get("crud").getSpec().getScaling().getMaxInstances());
    assertTrue(tenant.applications().list().stream()
        .anyMatch(a -> a.getMeta().getName().equals("crud")));

    // The scheduler writes the application's status meanwhile; that does not make the
    // revision read at create time stale for a spec update.
    Application updated = tenant.applications().update(app("crud", 4),
        created.getMeta().getRevision());
    assertEquals(4, updated.getSpec().getScaling().getMaxInstances());
    ConflictException stale = assertThrows(ConflictException.class,
        () -> tenant.applications().update(app("crud", 5), created.getMeta().getRevision()));
    assertTrue(stale.getMessage().contains("revision"), stale.getMessage());
    assertThrows(AlreadyExistsException.class, () -> tenant.applications().create(app("crud", 1)));

    tenant.applications().delete("crud");
    NotFoundException gone = assertThrows(NotFoundException.class,
        () -> tenant.applications().get("crud"));
    assertTrue(gone.getMessage().contains("crud"), gone.getMessage());
  }

  @Test
  void applyCreatesThenUpdates() {
    Application first = tenant.applications().apply(app("applied", 2));
    Application second = tenant.applications().apply(app("applied", 6));
    assertEquals(first.getMeta().getCreateRevision(), second.getMeta().getCreateRevision());
    assertEquals(6, second.getSpec().getScaling().getMaxInstances());
  }

  @Test
  void asyncCallsFailWithTypedCauses() {
    CompletableFuture<Application> f = tenant.applications().getAsync("nope");
    ExecutionException e = assertThrows(ExecutionException.class, f::get);
    assertTrue(e.getCause() instanceof NotFoundException, String.valueOf(e.getCause()));
  }

  @Test
  void badInputIsRefusedWithTheFieldNamed() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> tenant.applications().create(app("bad", 0).toBuilder()
            .setSpec(app("bad", 0).getSpec().toBuilder()
                .setScaling(ScalingPolicy.newBuilder().setMinInstances(3).setMaxInstances(1)))
            .build()));
    assertTrue(e.getMessage().contains("maxInstances"), e.getMessage());
    assertThrows(NotFoundException.class, () -> tenant.applications().get("bad"));
  }

  @Test
  void sessionsOpenUntilAvailableAndCloseUntilClosed() {
    tenant.applications().create(app("echo", 5));
    Session s = tenant.sessions().open("echo");
    assertEquals(SessionState.SESSION_AVAILABLE, s.getStatus().getState());
    assertFalse(s.getStatus().getEndpointsList().isEmpty(), "an AVAILABLE session has endpoints");
    assertEquals(s.getMeta().getName(), tenant.sessions().get(s.getMeta().getName())
        .getMeta().getName());
    assertTrue(tenant.instances().list("echo").stream()
        .anyMatch(i -> i.getMeta().getName().equals(s.getStatus().getInstance())));

    Session closed = tenant.sessions().close(s.getMeta().getName());
    assertEquals(SessionState.SESSION_CLOSED, closed.getStatus().getState());
    // Closing again returns the ended session as it is.
    assertEquals(SessionState.SESSION_CLOSED,
        tenant.sessions().close(s.getMeta().getName()).getStatus().getState());
  }

  @Test
  void theSameIdempotencyKeyOpensOneSession() {
    tenant.applications().create(app("idem", 5));
    OpenOptions once = OpenOptions.builder().idempotencyKey("order-42").build();
    Session a = tenant.sessions().open("idem", once);
    Session b = tenant.sessions().open("idem", once);
    assertEquals(a.getMeta().getName(), b.getMeta().getName());
    assertEquals(1, tenant.sessions().list("idem").size());
  }

  @Test
  void manyConcurrentOpensAllBecomeAvailable() {
    tenant.applications().create(app("many", 40));
    List<CompletableFuture<Session>> opens = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      opens.add(tenant.sessions().openAsync("many", OpenOptions.defaults()));
    }
    CompletableFuture.allOf(opens.toArray(new CompletableFuture[0])).join();
    assertEquals(30, opens.stream().map(f -> f.join().getMeta().getName()).distinct().count());
  }

  @Test
  void anOpenThatCannotBePlacedFailsWithTheReason() {
    Application huge = app("huge", 1).toBuilder().setSpec(app("huge", 1).getSpec().toBuilder()
        .setResources(io.fornax.api.proto.ResourceSpec.newBuilder()
            .setMemoryBytes(1L << 40))).build();
    tenant.applications().create(huge);
    SessionFailedException e = assertThrows(SessionFailedException.class,
        () -> tenant.sessions().open("huge", OpenOptions.builder()
            .openTimeout(Duration.ofSeconds(2)).build()));
    assertEquals(SessionState.SESSION_TIMEOUT, e.session().getStatus().getState());
    assertTrue(e.getMessage().contains("memory"), e.getMessage());
  }

  @Test
  void listsLongerThanOnePageComeWhole() {
    FornaxClient paged = cluster.client(admin.tenants().create("paged").getToken());
    int n = 520; // the server's default page is 500
    List<CompletableFuture<Application>> creates = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      Application idle = app(String.format("p-%03d", i), 1).toBuilder().setSpec(app("x", 1)
          .getSpec().toBuilder().setScaling(ScalingPolicy.newBuilder().setMaxInstances(1))).build();
      creates.add(paged.applications().createAsync(idle));
    }
    creates.forEach(CompletableFuture::join);
    List<String> names = paged.applications().list().stream().map(a -> a.getMeta().getName()).toList();
    assertEquals(n, names.size());
    assertEquals(n, names.stream().distinct().count(), "no item twice across pages");
    assertEquals("p-519", names.get(n - 1));
  }

  @Test
  void tenantsAreIsolatedAndTokensChecked() {
    TenantCreated other = admin.tenants().create("other");
    FornaxClient otherClient = cluster.client(other.getToken());
    tenant.applications().create(app("private", 1));
    assertThrows(NotFoundException.class, () -> otherClient.applications().get("private"));
    assertTrue(otherClient.applications().list().isEmpty());
    assertThrows(UnauthorizedException.class, () -> otherClient.tenants().create("sneaky"));

    FornaxClient bad = cluster.client("not-a-token");
    assertThrows(UnauthorizedException.class, () -> bad.applications().list());

    // The admin reaches a tenant's resources through a tenant view.
    assertEquals("private", admin.withTenant("acme").applications().get("private")
        .getMeta().getName());
    TenantCreated rotated = admin.tenants().rotateToken("other");
    assertNotEquals(other.getToken(), rotated.getToken());
    assertThrows(UnauthorizedException.class, () -> otherClient.applications().list());
    assertTrue(cluster.client(rotated.getToken()).applications().list().isEmpty());
  }

  @Test
  void nodesAndClusterStatus() {
    assertEquals(2, admin.nodes().list().size());
    assertTrue(admin.nodes().get("sim-1").getSpec().getSimulated());
    assertTrue(admin.nodes().drain("sim-2").getSpec().getUnschedulable());
    assertEquals(io.fornax.api.proto.NodeState.NODE_DRAINING,
        admin.nodes().get("sim-2").getStatus().getState());
    assertThrows(UnauthorizedException.class, () -> tenant.nodes().drain("sim-1"));
    assertThrows(NotFoundException.class, () -> admin.nodes().drain("ghost"));
    assertFalse(admin.nodes().undrain("sim-2").getSpec().getUnschedulable());
    ClusterStatus st = admin.cluster().status();
    assertFalse(st.getLeader().isEmpty());
    assertEquals(3, st.getMembersCount());
    List<ReplicaStatus> replicas = admin.cluster().replicas();
    assertEquals(3, replicas.size());
    assertTrue(replicas.stream().allMatch(ReplicaStatus::healthy), replicas.toString());
  }

  @Test
  void listsFilterByLabels() {
    tenant.applications().create(app("labelled", 1).toBuilder()
        .setMeta(ObjectMeta.newBuilder().setName("labelled").putLabels("team", "edge")).build());
    assertEquals(List.of("labelled"), tenant.applications().list(Map.of("team", "edge"))
        .stream().map(a -> a.getMeta().getName()).toList());
  }
}
