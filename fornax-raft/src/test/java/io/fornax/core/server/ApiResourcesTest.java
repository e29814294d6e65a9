package io.fornax.core.server;

import static io.fornax.core.server.ApiFixture.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.ClusterStatusRequest;
import io.fornax.api.proto.CloseSessionRequest;
import io.fornax.api.proto.Consistency;
import io.fornax.api.proto.DeleteRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.GetRequest;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.PortRange;
import io.fornax.api.proto.RegisterNodeRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.UpdateApplicationRequest;
import io.fornax.client.internal.FornaxConnection;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resources through the API over real sockets on 127.0.0.1, against the real applier and
 * RocksDB (no Raft): the request → command → response mapping, tenancy, errors.
 */
class ApiResourcesTest {
  @TempDir Path dir;
  ApiFixture api;

  @BeforeEach
  void start() throws InterruptedException {
    api = new ApiFixture(dir);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Response get(FornaxConnection c, Kind kind, String name, String tenant) {
    return api.call(c, Request.newBuilder().setGet(GetRequest.newBuilder().setKind(kind)
        .setName(name).setTenant(tenant)));
  }

  private Response list(FornaxConnection c, ListRequest.Builder r) {
    return api.call(c, Request.newBuilder().setList(r));
  }

  @Test
  void adminCreatesATenantWhoseTokenThenWorks() {
    String token = api.tenant("acme");
    assertTrue(token.startsWith("acme.") && token.length() > 40, token);
    FornaxConnection acme = api.connect(token);
    Response self = get(acme, Kind.TENANT, "acme", "");
    assertEquals(ErrorCode.OK, self.getError().getCode(), self.getError().getMessage());
    assertFalse(self.getResource().getTenant().getMeta().getUid().isEmpty(), "uid stamped");
    assertEquals(ErrorCode.OK, list(acme, ListRequest.newBuilder().setKind(Kind.APPLICATION))
        .getError().getCode());
    Response again = api.call(api.admin, Request.newBuilder().setCreateTenant(
        io.fornax.api.proto.CreateTenantRequest.newBuilder().setTenant(
            io.fornax.api.proto.Tenant.newBuilder().setMeta(ObjectMeta.newBuilder()
                .setName("acme")))));
    assertEquals(ErrorCode.ALREADY_EXISTS, again.getError().getCode());
  }

  @Test
  void tenantRunsTheApplicationLifecycle() {
    FornaxConnection acme = api.connect(api.tenant("acme"));
    Response created = api.ok(acme, Request.newBuilder().setCreateApplication(
        io.fornax.api.proto.CreateApplicationRequest.newBuilder().setApplication(app("web", 0, 3))));
    Application web = created.getResource().getApplication();
    assertEquals("acme", web.getMeta().getTenant(), "placed in the caller's tenant");
    assertFalse(web.getMeta().getUid().isEmpty());
    assertEquals(created.getRevision(), web.getMeta().getRevision());

    Response read = get(acme, Kind.APPLICATION, "web", "");
    assertEquals(5, read.getResource().getApplication().getSpec().getScaling().getBurst(),
        "defaults applied");
    assertEquals(api.applied(), read.getRevision());
    Response local = api.ok(acme, Request.newBuilder().setConsistency(Consistency.LOCAL)
        .setList(ListRequest.newBuilder().setKind(Kind.APPLICATION)));
    assertEquals(1, local.getList().getItemsCount());

    Response updated = api.ok(acme, Request.newBuilder().setUpdateApplication(
        UpdateApplicationRequest.newBuilder().setApplication(app("web", 0, 7))
            .setExpectedRevision(web.getMeta().getRevision())));
    assertEquals(7, updated.getResource().getApplication().getSpec().getScaling()
        .getMaxInstances());
    assertEquals(web.getMeta().getUid(), updated.getResource().getApplication().getMeta().getUid());

    Response deleted = api.ok(acme, Request.newBuilder().setDelete(DeleteRequest.newBuilder()
        .setKind(Kind.APPLICATION).setName("web")));
    assertTrue(deleted.hasDeleted());
    Response gone = get(acme, Kind.APPLICATION, "web", "");
    assertEquals(ErrorCode.NOT_FOUND, gone.getError().getCode());
    assertEquals("application \"web\" not found in tenant \"acme\"", gone.getError().getMessage());
  }

  @Test
  void staleExpectedRevisionIsAConflictAndChangesNothing() {
    FornaxConnection acme = api.connect(api.tenant("acme"));
    long rev = api.createApp(acme, app("web", 0, 3)).getResource().getApplication().getMeta()
        .getRevision();
    api.ok(acme, Request.newBuilder().setUpdateApplication(UpdateApplicationRequest.newBuilder()
        .setApplication(app("web", 0, 5)).setExpectedRevision(rev)));
    String before = api.digest();
    Response stale = api.call(acme, Request.newBuilder().setUpdateApplication(
        UpdateApplicationRequest.newBuilder().setApplication(app("web", 0, 9))
            .setExpectedRevision(rev)));
    assertEquals(ErrorCode.CONFLICT, stale.getError().getCode());
    assertEquals(before, api.digest());
  }

  @Test
  void missingWrongAndUnknownTokensAreUnauthenticated() {
    String good = api.tenant("acme");
    String[][] cases = {
        {"", "request has no token"},
        {"acme.wrong", "invalid token"},
        {"nosuch.secret", "invalid token"}, // same words: tokens do not reveal tenant names
        {good + "x", "invalid token"},
        {"x".repeat(600), "invalid token"},
        {"admin.not-the-admin", "invalid token"}};
    for (String[] c : cases) {
      Response r = api.call(api.connect(c[0]), Request.newBuilder()
          .setList(ListRequest.newBuilder().setKind(Kind.APPLICATION)));
      assertEquals(ErrorCode.UNAUTHENTICATED, r.getError().getCode(), "token " + c[0]);
      assertEquals(c[1], r.getError().getMessage(), "token " + c[0]);
    }
  }

  @Test
  void aTenantCannotReachAnotherTenantsApplications() {
    FornaxConnection a = api.connect(api.tenant("tenant-a"));
    FornaxConnection b = api.connect(api.tenant("tenant-b"));
    api.ok(b, Request.newBuilder().setCreateApplication(io.fornax.api.proto
        .CreateApplicationRequest.newBuilder().setApplication(app("secret", 0, 1))));
    String digest = api.digest();
    long applied = api.applied();

    assertEquals(ErrorCode.NOT_FOUND, get(a, Kind.APPLICATION, "secret", "").getError().getCode());
    assertEquals(ErrorCode.PERMISSION_DENIED,
        get(a, Kind.APPLICATION, "secret", "tenant-b").getError().getCode());
    assertEquals(ErrorCode.PERMISSION_DENIED, list(a, ListRequest.newBuilder()
        .setKind(Kind.APPLICATION).setTenant("tenant-b")).getError().getCode());
    assertEquals(0, list(a, ListRequest.newBuilder().setKind(Kind.APPLICATION)).getList()
        .getItemsCount());
    assertEquals(ErrorCode.PERMISSION_DENIED, api.call(a, Request.newBuilder().setDelete(
        DeleteRequest.newBuilder().setKind(Kind.APPLICATION).setName("secret")
            .setTenant("tenant-b"))).getError().getCode());
    assertEquals(ErrorCode.NOT_FOUND, get(a, Kind.TENANT, "tenant-b", "").getError().getCode());
    assertEquals(1, list(a, ListRequest.newBuilder().setKind(Kind.TENANT)).getList()
        .getItemsCount(), "a tenant sees only itself");
    Application spoofed = app("planted", 0, 1).toBuilder()
        .setMeta(ObjectMeta.newBuilder().setName("planted").setTenant("tenant-b")).build();
    assertEquals(ErrorCode.PERMISSION_DENIED, api.createApp(a, spoofed).getError().getCode());
    assertEquals(applied, api.applied(), "refused at the door: nothing proposed");

    // Without naming a tenant the delete acts on tenant-a's own (absent) application.
    Response own = api.call(a, Request.newBuilder().setDelete(DeleteRequest.newBuilder()
        .setKind(Kind.APPLICATION).setName("secret")));
    assertEquals(ErrorCode.NOT_FOUND, own.getError().getCode());
    assertEquals(digest, api.digest(), "tenant-b's application untouched");
    assertEquals(ErrorCode.OK, get(b, Kind.APPLICATION, "secret", "").getError().getCode());
  }

  @Test
  void invalidSpecNamesTheFieldAndProposesNothing() {
    FornaxConnection acme = api.connect(api.tenant("acme"));
    String digest = api.digest();
    int submitted = api.backend.submitted().size();
    Response r = api.createApp(acme, app("web", 5, 2));
    assertEquals(ErrorCode.INVALID_ARGUMENT, r.getError().getCode());
    assertTrue(r.getError().getMessage().contains("spec.scaling.maxInstances"),
        r.getError().getMessage());
    Response badName = api.createApp(acme, app("Bad_Name", 0, 1));
    assertTrue(badName.getError().getMessage().startsWith("metadata.name"),
        badName.getError().getMessage());
    Response adminWithoutTenant = api.createApp(api.admin, app("web", 0, 1));
    assertEquals("metadata.tenant is required for admin requests",
        adminWithoutTenant.getError().getMessage());
    assertEquals(submitted, api.backend.submitted().size());
    assertEquals(digest, api.digest());
  }

  @Test
  void sessionsOpenOncePerIdempotencyKeyAndClose() {
    FornaxConnection acme = api.connect(api.tenant("acme"));
    api.createApp(acme, app("echo", 0, 3));
    OpenSessionRequest open = OpenSessionRequest.newBuilder().setApplication("echo")
        .setSessionData(ByteString.copyFromUtf8("hello")).setIdempotencyKey("retry-1")
        .putLabels("team", "blue").build();
    Session first = api.ok(acme, Request.newBuilder().setOpenSession(open)).getResource()
        .getSession();
    Session again = api.ok(acme, Request.newBuilder().setOpenSession(open)).getResource()
        .getSession();
    assertTrue(first.getMeta().getName().matches("s-[0-9a-f]{16}"), first.getMeta().getName());
    assertEquals(SessionState.SESSION_PENDING, first.getStatus().getState());
    assertEquals("hello", first.getSpec().getSessionData().toStringUtf8());
    assertEquals("blue", first.getMeta().getLabelsMap().get("team"));
    assertEquals(first.getMeta().getName(), again.getMeta().getName(), "retry: same session");

    Response missingApp = api.call(acme, Request.newBuilder().setOpenSession(open.toBuilder()
        .setIdempotencyKey("").setApplication("nope")));
    assertEquals(ErrorCode.NOT_FOUND, missingApp.getError().getCode());

    Response closed = api.ok(acme, Request.newBuilder().setCloseSession(
        CloseSessionRequest.newBuilder().setName(first.getMeta().getName())));
    assertEquals(SessionState.SESSION_CLOSED, closed.getResource().getSession().getStatus()
        .getState());
    Session other = api.ok(acme, Request.newBuilder().setOpenSession(open.toBuilder()
        .setIdempotencyKey("retry-2"))).getResource().getSession();
    Response viaDelete = api.ok(acme, Request.newBuilder().setDelete(DeleteRequest.newBuilder()
        .setKind(Kind.SESSION).setName(other.getMeta().getName())));
    assertEquals(SessionState.SESSION_CLOSED, viaDelete.getResource().getSession().getStatus()
        .getState());
    assertEquals(2, list(acme, ListRequest.newBuilder().setKind(Kind.SESSION)
        .setApplication("echo")).getList().getItemsCount());
  }

  @Test
  void nodesAreRegisteredByTheAdminAndVisibleToAll() {
    FornaxConnection acme = api.connect(api.tenant("acme"));
    RegisterNodeRequest node = RegisterNodeRequest.newBuilder().setNode(Node.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName("node-1").putLabels("zone", "a"))
        .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1")
            .setIngressPortRange(PortRange.newBuilder().setFrom(20000).setTo(20100))
            .setCapacity(Capacity.newBuilder().setCpuMillis(4000).setMemoryBytes(8L << 30)
                .setMaxInstances(10))))
        .build();
    assertEquals(ErrorCode.PERMISSION_DENIED,
        api.call(acme, Request.newBuilder().setRegisterNode(node)).getError().getCode());
    api.ok(api.admin, Request.newBuilder().setRegisterNode(node));
    Response nodes = api.ok(acme, Request.newBuilder().setList(ListRequest.newBuilder()
        .setKind(Kind.NODE).putLabelSelector("zone", "a")));
    assertEquals(1, nodes.getList().getItemsCount());
    assertEquals(0, list(acme, ListRequest.newBuilder().setKind(Kind.NODE)
        .putLabelSelector("zone", "b")).getList().getItemsCount());
    assertEquals(ErrorCode.PERMISSION_DENIED, api.call(acme, Request.newBuilder().setDelete(
        DeleteRequest.newBuilder().setKind(Kind.NODE).setName("node-1"))).getError().getCode());
    api.ok(api.admin, Request.newBuilder().setDelete(DeleteRequest.newBuilder()
        .setKind(Kind.NODE).setName("node-1")));
  }

  @Test
  void requestsThatMakeNoSenseAreInvalid() {
    FornaxConnection acme = api.connect(api.tenant("acme"));
    Response noBody = api.call(acme, Request.newBuilder());
    assertEquals(ErrorCode.INVALID_ARGUMENT, noBody.getError().getCode());
    assertEquals("request has no body", noBody.getError().getMessage());
    Response instance = api.call(acme, Request.newBuilder().setDelete(DeleteRequest.newBuilder()
        .setKind(Kind.INSTANCE).setName("i-1")));
    assertEquals("instances are deleted by the scheduler", instance.getError().getMessage());
    Response noKind = api.call(acme, Request.newBuilder().setGet(GetRequest.newBuilder()
        .setName("x")));
    assertEquals(ErrorCode.INVALID_ARGUMENT, noKind.getError().getCode());
    assertTrue(acme.isOpen(), "a well-formed but wrong request keeps the connection");
  }

  @Test
  void anyCallerReadsTheClusterStatus() {
    FornaxConnection acme = api.connect(api.tenant("acme"));
    Response status = api.ok(acme, Request.newBuilder()
        .setClusterStatus(ClusterStatusRequest.getDefaultInstance()));
    assertEquals(1, status.getClusterStatus().getMembersCount());
    assertEquals("core-1", status.getClusterStatus().getLeader());
  }
}
