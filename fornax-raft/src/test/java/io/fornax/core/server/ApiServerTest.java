package io.fornax.core.server;

import static io.fornax.core.server.ApiCluster.call;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.UpdateTenantRequest;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.CloseSessionRequest;
import io.fornax.api.proto.Consistency;
import io.fornax.api.proto.CreateApplicationRequest;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.DeleteRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.EventType;
import io.fornax.api.proto.GetRequest;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.UpdateApplicationRequest;
import io.fornax.api.proto.WatchRequest;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.client.internal.WatchStream;
import io.fornax.core.state.StateDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Fornax API of a real 3-replica cluster, over real sockets on 127.0.0.1. */
class ApiServerTest {
  @TempDir static Path tmp;
  static ApiCluster cluster;
  static FornaxConnection admin;

  @BeforeAll
  static void start() throws Exception {
    cluster = new ApiCluster(tmp);
    admin = cluster.connect(cluster.follower(0), ApiCluster.ADMIN_TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  /** Creates a tenant through the admin connection and returns its token. */
  static String tenant(String name) {
    Response r = call(admin, Request.newBuilder().setCreateTenant(CreateTenantRequest.newBuilder()
        .setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name)))));
    assertEquals(ErrorCode.OK, r.getError().getCode(), r.getError().getMessage());
    assertTrue(r.getTenantCreated().getTenant().getTokenHash().isEmpty(), "hash never leaves");
    return r.getTenantCreated().getToken();
  }

  static Application app(String name, int min, int max) {
    return Application.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/cat"))
            .setScaling(ScalingPolicy.newBuilder().setMinInstances(min).setMaxInstances(max)))
        .build();
  }

  static Response create(FornaxConnection c, Application a) {
    return call(c, Request.newBuilder()
        .setCreateApplication(CreateApplicationRequest.newBuilder().setApplication(a)));
  }

  static Response get(FornaxConnection c, Kind kind, String name) {
    return call(c, Request.newBuilder().setGet(GetRequest.newBuilder().setKind(kind).setName(name)));
  }

  @Test
  void tenantWritesOnAFollowerAndReadsLinearizablyOnAnother() {
    String token = tenant("acme");
    FornaxConnection viaFollower = cluster.connect(cluster.follower(0), token);
    FornaxConnection viaOther = cluster.connect(cluster.follower(1), token);
    Response created = create(viaFollower, app("web", 0, 3));
    assertEquals(ErrorCode.OK, created.getError().getCode(), created.getError().getMessage());
    assertEquals("acme", created.getResource().getApplication().getMeta().getTenant());
    Response read = get(viaOther, Kind.APPLICATION, "web");
    assertEquals(ErrorCode.OK, read.getError().getCode(), read.getError().getMessage());
    assertEquals(5, read.getResource().getApplication().getSpec().getScaling().getBurst(),
        "defaults were applied");
    assertTrue(read.getRevision() >= created.getRevision());
    Response local = call(viaOther, Request.newBuilder().setConsistency(Consistency.LOCAL)
        .setList(ListRequest.newBuilder().setKind(Kind.APPLICATION)));
    assertEquals(ErrorCode.OK, local.getError().getCode());
  }

  @Test
  void staleRevisionIsRejectedWithConflict() {
    FornaxConnection c = cluster.connect(cluster.leader(), tenant("rev"));
    long rev = create(c, app("web", 0, 3)).getResource().getApplication().getMeta().getRevision();
    Response ok = call(c, Request.newBuilder().setUpdateApplication(UpdateApplicationRequest
        .newBuilder().setApplication(app("web", 0, 5)).setExpectedRevision(rev)));
    assertEquals(ErrorCode.OK, ok.getError().getCode(), ok.getError().getMessage());
    Response stale = call(c, Request.newBuilder().setUpdateApplication(UpdateApplicationRequest
        .newBuilder().setApplication(app("web", 0, 7)).setExpectedRevision(rev)));
    assertEquals(ErrorCode.CONFLICT, stale.getError().getCode());
    assertEquals(5, get(c, Kind.APPLICATION, "web").getResource().getApplication().getSpec()
        .getScaling().getMaxInstances());
  }

  @Test
  void tenantsAreIsolated() {
    FornaxConnection a = cluster.connect(cluster.leader(), tenant("iso-a"));
    FornaxConnection b = cluster.connect(cluster.leader(), tenant("iso-b"));
    assertEquals(ErrorCode.OK, create(b, app("secret", 0, 1)).getError().getCode());
    String before = digest();
    assertEquals(ErrorCode.NOT_FOUND, get(a, Kind.APPLICATION, "secret").getError().getCode());
    Response cross = call(a, Request.newBuilder().setGet(GetRequest.newBuilder()
        .setKind(Kind.APPLICATION).setName("secret").setTenant("iso-b")));
    assertEquals(ErrorCode.PERMISSION_DENIED, cross.getError().getCode());
    Response del = call(a, Request.newBuilder().setDelete(DeleteRequest.newBuilder()
        .setKind(Kind.APPLICATION).setName("secret").setTenant("iso-b")));
    assertEquals(ErrorCode.PERMISSION_DENIED, del.getError().getCode());
    Response list = call(a, Request.newBuilder().setList(ListRequest.newBuilder()
        .setKind(Kind.APPLICATION)));
    assertTrue(list.getList().getItemsList().stream()
        .noneMatch(r -> r.getApplication().getMeta().getTenant().equals("iso-b")));
    Response tenants = call(a, Request.newBuilder().setList(ListRequest.newBuilder()
        .setKind(Kind.TENANT)));
    assertEquals(1, tenants.getList().getItemsCount(), "a tenant sees only itself");
    Response createTenant = call(a, Request.newBuilder().setCreateTenant(CreateTenantRequest
        .newBuilder().setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName("x")))));
    assertEquals(ErrorCode.PERMISSION_DENIED, createTenant.getError().getCode());
    assertEquals(before, digest(), "refused requests change nothing");
  }

  @Test
  void badTokensAreUnauthenticated() {
    String good = tenant("tok");
    for (String bad : List.of("", "tok.wrong", "nosuch.secret", good + "x", "x".repeat(600))) {
      FornaxConnection c = cluster.connect(cluster.leader(), bad);
      Response r = call(c, Request.newBuilder().setList(ListRequest.newBuilder()
          .setKind(Kind.APPLICATION)));
      assertEquals(ErrorCode.UNAUTHENTICATED, r.getError().getCode(), "token " + bad);
    }
  }

  @Test
  void invalidSpecNamesTheFieldAndChangesNothing() {
    FornaxConnection c = cluster.connect(cluster.leader(), tenant("inv"));
    String before = digest();
    Response r = create(c, app("web", 5, 2));
    assertEquals(ErrorCode.INVALID_ARGUMENT, r.getError().getCode());
    assertEquals("spec.scaling.maxInstances must be >= minInstances (got 2 < 5)",
        r.getError().getMessage());
    Response badName = create(c, app("Bad_Name", 0, 1));
    assertTrue(badName.getError().getMessage().startsWith("metadata.name \"Bad_Name\""),
        badName.getError().getMessage());
    assertEquals(before, digest());
  }

  @Test
  void sessionsOpenOncePerIdempotencyKeyAndClose() {
    FornaxConnection c = cluster.connect(cluster.follower(1), tenant("sess"));
    create(c, app("echo", 0, 3));
    OpenSessionRequest open = OpenSessionRequest.newBuilder().setApplication("echo")
        .setSessionData(ByteString.copyFromUtf8("hello")).setIdempotencyKey("retry-1").build();
    Response first = call(c, Request.newBuilder().setOpenSession(open));
    Response again = call(c, Request.newBuilder().setOpenSession(open));
    String name = first.getResource().getSession().getMeta().getName();
    assertEquals(SessionState.SESSION_PENDING, first.getResource().getSession().getStatus().getState());
    assertEquals(name, again.getResource().getSession().getMeta().getName());
    Response missing = call(c, Request.newBuilder().setOpenSession(open.toBuilder()
        .setIdempotencyKey("").setApplication("nope")));
    assertEquals(ErrorCode.NOT_FOUND, missing.getError().getCode());
    Response closed = call(c, Request.newBuilder().setCloseSession(
        CloseSessionRequest.newBuilder().setName(name)));
    assertEquals(SessionState.SESSION_CLOSED, closed.getResource().getSession().getStatus().getState());
  }

  @Test
  void aRotatedTokenIsRefusedAtOnceByEveryReplica() {
    tenant("rotating");
    FornaxConnection adminToLeader = cluster.connect(cluster.leader(), ApiCluster.ADMIN_TOKEN);
    String token = call(admin, Request.newBuilder().setUpdateTenant(UpdateTenantRequest
        .newBuilder().setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder()
            .setName("rotating"))).setRotateToken(true))).getTenantCreated().getToken();
    for (int i = 0; i < 10; i++) {
      FornaxConnection old = cluster.connect(cluster.follower(i % 2), token);
      assertEquals(ErrorCode.OK, call(old, Request.newBuilder().setList(ListRequest.newBuilder()
          .setKind(Kind.APPLICATION))).getError().getCode());
      // Rotated through the leader: the followers may not have applied it yet when asked.
      token = call(adminToLeader, Request.newBuilder().setUpdateTenant(UpdateTenantRequest
          .newBuilder().setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder()
              .setName("rotating"))).setRotateToken(true))).getTenantCreated().getToken();
      assertEquals(ErrorCode.UNAUTHENTICATED, call(old, Request.newBuilder().setList(
          ListRequest.newBuilder().setKind(Kind.APPLICATION))).getError().getCode(), "a read");
      assertEquals(ErrorCode.UNAUTHENTICATED, create(old, app("late-" + i, 0, 1)).getError()
          .getCode(), "a write");
    }
  }

  @Test
  void aWatchEndsWhenItsTokenIsRotated() {
    FornaxConnection c = cluster.connect(cluster.follower(0), tenant("watched"));
    List<Response> seen = new CopyOnWriteArrayList<>();
    c.watch(WatchRequest.newBuilder().setKind(Kind.APPLICATION).build(), seen::add, e -> { });
    await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
    create(c, app("seen", 0, 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
    call(admin, Request.newBuilder().setUpdateTenant(UpdateTenantRequest.newBuilder()
        .setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName("watched")))
        .setRotateToken(true)));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.get(seen.size() - 1).hasError());
    assertEquals(ErrorCode.UNAUTHENTICATED, seen.get(seen.size() - 1).getError().getCode());
  }

  @Test
  void aWatchFromNowOnAFollowerNeverReportsAnEarlierAcknowledgedWrite() {
    String token = tenant("fromnow");
    FornaxConnection toLeader = cluster.connect(cluster.leader(), token);
    FornaxConnection toFollower = cluster.connect(cluster.follower(1), token);
    // A follower applies a write a moment after the leader answered it: without catching up
    // first, "now" on the follower could come before the write and report it as news.
    for (int i = 0; i < 20; i++) {
      create(toLeader, app("before-" + i, 0, 1));
      List<Response> seen = new CopyOnWriteArrayList<>();
      WatchStream w = toFollower.watch(WatchRequest.newBuilder().setKind(Kind.APPLICATION)
          .build(), seen::add, e -> { });
      await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
      create(toLeader, app("after-" + i, 0, 1));
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
      w.cancel();
      assertEquals("after-" + i, seen.get(1).getEvent().getResource().getApplication().getMeta()
          .getName(), "the first news after the start: " + seen);
    }
  }

  @Test
  void watchDeliversEveryLaterChangeInOrderAndReportsCompaction() {
    FornaxConnection c = cluster.connect(cluster.follower(0), tenant("watch"));
    List<Response> seen = new CopyOnWriteArrayList<>();
    WatchStream w = c.watch(WatchRequest.newBuilder().setKind(Kind.APPLICATION).build(), seen::add,
        e -> { });
    await().atMost(Duration.ofSeconds(10)).alias("watch started").until(() -> !seen.isEmpty());
    assertTrue(seen.get(0).hasWatchStarted());
    for (int i = 0; i < 5; i++) {
      create(c, app("w" + i, 0, 1));
    }
    await().atMost(Duration.ofSeconds(10)).alias("6 responses, got " + seen)
        .until(() -> seen.size() >= 6);
    assertEquals(6, seen.size(), seen.toString());
    for (int i = 1; i <= 5; i++) {
      assertEquals(EventType.PUT, seen.get(i).getEvent().getType());
      assertEquals("w" + (i - 1), seen.get(i).getEvent().getResource().getApplication().getMeta()
          .getName());
      assertTrue(i == 1 || seen.get(i).getRevision() > seen.get(i - 1).getRevision());
    }
    w.cancel();

    // Resuming from a revision seen above replays what came after it.
    long from = seen.get(2).getRevision();
    List<Response> resumed = new CopyOnWriteArrayList<>();
    c.watch(WatchRequest.newBuilder().setKind(Kind.APPLICATION).setFromRevision(from).build(),
        resumed::add, e -> { });
    await().atMost(Duration.ofSeconds(10)).alias("resumed: " + resumed).until(() -> resumed.size() >= 4);
    assertEquals(4, resumed.size(), resumed.toString());
    assertEquals("w2", resumed.get(1).getEvent().getResource().getApplication().getMeta().getName());

    // The window holds 50 events: push the start out of it, then ask for it.
    for (int i = 0; i < 60; i++) {
      create(c, app("fill" + i, 0, 1));
    }
    List<Response> old = new CopyOnWriteArrayList<>();
    c.watch(WatchRequest.newBuilder().setKind(Kind.APPLICATION).setFromRevision(from).build(),
        old::add, e -> { });
    await().atMost(Duration.ofSeconds(10)).alias("compacted").until(() -> !old.isEmpty());
    assertEquals(ErrorCode.COMPACTED, old.get(0).getError().getCode());
  }

  @Test
  void adminListsAcrossTenantsAndTokenHashesNeverLeave() {
    tenant("list-a");
    Response all = call(admin, Request.newBuilder().setList(ListRequest.newBuilder()
        .setKind(Kind.TENANT)));
    assertFalse(all.getList().getItemsList().isEmpty());
    assertTrue(all.getList().getItemsList().stream()
        .allMatch(r -> r.getTenant().getTokenHash().isEmpty()));
    Response status = call(admin, Request.newBuilder().setClusterStatus(
        io.fornax.api.proto.ClusterStatusRequest.getDefaultInstance()));
    assertEquals(3, status.getClusterStatus().getMembersCount());
    assertFalse(status.getClusterStatus().getLeader().isEmpty());
  }

  static String digest() {
    cluster.leader().replica().readBarrier().join();
    return StateDigest.of(cluster.leader().replica().state());
  }
}
