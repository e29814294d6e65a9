package io.fornax.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.GetRequest;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.TenantQuota;
import io.fornax.api.proto.UpdateTenantRequest;
import io.fornax.api.proto.WatchRequest;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.state.Table;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tenant tokens: issued once, rotated, and their stored hashes never sent to anyone. */
class ApiTokensTest {
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

  private Response listApps(FornaxConnection c) {
    return api.call(c, Request.newBuilder().setList(ListRequest.newBuilder()
        .setKind(Kind.APPLICATION)));
  }

  private Response updateTenant(String name, long revision, boolean rotate) {
    return api.ok(api.admin, Request.newBuilder().setUpdateTenant(UpdateTenantRequest.newBuilder()
        .setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name))
            .setQuota(TenantQuota.newBuilder().setMaxApplications(5)))
        .setExpectedRevision(revision).setRotateToken(rotate)));
  }

  @Test
  void rotatingATokenRetiresTheOldOne() {
    String old = api.tenant("acme");
    long rev = api.backend.state().<Tenant>get(Table.TENANTS, "acme").getMeta().getRevision();
    Response kept = updateTenant("acme", rev, false);
    assertTrue(kept.hasResource(), "no rotation: the tenant, no token");
    assertEquals(5, kept.getResource().getTenant().getQuota().getMaxApplications());
    assertEquals(ErrorCode.OK, listApps(api.connect(old)).getError().getCode(),
        "an update without rotation keeps the token");

    Response rotated = updateTenant("acme", kept.getRevision(), true);
    String fresh = rotated.getTenantCreated().getToken();
    assertNotEquals(old, fresh);
    assertEquals(ErrorCode.UNAUTHENTICATED, listApps(api.connect(old)).getError().getCode());
    assertEquals(ErrorCode.OK, listApps(api.connect(fresh)).getError().getCode());
  }

  @Test
  void tenantUpdatesAreForTheAdminOnly() {
    FornaxConnection acme = api.connect(api.tenant("acme"));
    Response r = api.call(acme, Request.newBuilder().setUpdateTenant(UpdateTenantRequest
        .newBuilder().setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder()
            .setName("acme"))).setRotateToken(true)));
    assertEquals(ErrorCode.PERMISSION_DENIED, r.getError().getCode());
  }

  @Test
  void tokenHashesNeverLeaveTheServer() {
    List<Response> watched = new CopyOnWriteArrayList<>();
    api.admin.watch(WatchRequest.newBuilder().setKind(Kind.TENANT).build(), watched::add,
        e -> { });
    await().atMost(ApiFixture.TIMEOUT).until(() -> !watched.isEmpty());
    List<String> tokens = new ArrayList<>();
    tokens.add(api.tenant("acme"));
    tokens.add(api.tenant("globex"));
    long rev = api.backend.state().<Tenant>get(Table.TENANTS, "acme").getMeta().getRevision();
    tokens.add(updateTenant("acme", rev, true).getTenantCreated().getToken());
    FornaxConnection acme = api.connect(tokens.get(2));
    api.ok(api.admin, Request.newBuilder().setList(ListRequest.newBuilder().setKind(Kind.TENANT)));
    api.ok(acme, Request.newBuilder().setList(ListRequest.newBuilder().setKind(Kind.TENANT)));
    api.ok(acme, Request.newBuilder().setGet(GetRequest.newBuilder().setKind(Kind.TENANT)
        .setName("acme")));
    await().atMost(ApiFixture.TIMEOUT).until(() -> watched.size() >= 4); // started + 3 changes

    List<Response> all = new ArrayList<>(api.seen);
    all.addAll(watched);
    List<String> hashes = tokens.stream().map(Tokens::sha256Hex).toList();
    for (Response r : all) {
      String bytes = new String(r.toByteArray(), StandardCharsets.ISO_8859_1);
      for (String hash : hashes) {
        assertFalse(bytes.contains(hash), "hash in " + r);
      }
    }
    assertTrue(all.size() > 8, "checked " + all.size() + " responses");
  }
}
