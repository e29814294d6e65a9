package io.fornax.core.server;

import static io.fornax.core.server.ApiFixture.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Response;
import io.fornax.client.internal.FornaxConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lists come in pages with a continue token; tokens are checked like any input. */
class ApiPagingTest {
  @TempDir Path dir;
  ApiFixture api;
  FornaxConnection acme;

  @BeforeEach
  void start() throws InterruptedException {
    api = new ApiFixture(dir);
    acme = api.connect(api.tenant("acme"));
    for (int i = 0; i < 25; i++) {
      api.ok(acme, Request.newBuilder().setCreateApplication(
          io.fornax.api.proto.CreateApplicationRequest.newBuilder()
              .setApplication(app(String.format("app-%02d", i), 0, 1))));
    }
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Response page(FornaxConnection c, ListRequest.Builder r) {
    return api.call(c, Request.newBuilder().setList(r));
  }

  private static List<String> names(Response r) {
    return r.getList().getItemsList().stream().map(Resource::getApplication)
        .map(a -> a.getMeta().getName()).toList();
  }

  @Test
  void pagesFollowEachOtherWithoutGapsOrRepeats() {
    List<String> all = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      Response r = page(acme, ListRequest.newBuilder().setKind(Kind.APPLICATION).setLimit(10)
          .setPageToken(token));
      assertEquals(ErrorCode.OK, r.getError().getCode(), r.getError().getMessage());
      assertTrue(r.getList().getItemsCount() <= 10);
      all.addAll(names(r));
      token = r.getList().getNextPageToken();
      pages++;
    } while (!token.isEmpty() && pages < 10);
    assertEquals(3, pages);
    assertEquals(IntStream.range(0, 25).mapToObj(i -> String.format("app-%02d", i)).toList(), all);
  }

  @Test
  void noLimitIsTheDefaultPageAndAHugeOneIsCapped() {
    Response r = page(acme, ListRequest.newBuilder().setKind(Kind.APPLICATION));
    assertEquals(25, r.getList().getItemsCount());
    assertTrue(r.getList().getNextPageToken().isEmpty(), "one page holds them all");
    Response big = page(acme, ListRequest.newBuilder().setKind(Kind.APPLICATION).setLimit(-1));
    assertEquals(25, big.getList().getItemsCount(), "uint32 max is capped, not an error");
    assertEquals(PageTokens.DEFAULT_LIMIT, PageTokens.limit(0));
    assertEquals(PageTokens.MAX_LIMIT, PageTokens.limit(Integer.MAX_VALUE));
  }

  @Test
  void aPageWithAFilterSkipsWhatDoesNotMatchAndStillContinues() {
    Response first = page(acme, ListRequest.newBuilder().setKind(Kind.APPLICATION).setLimit(1)
        .putLabelSelector("tier", "none"));
    assertEquals(ErrorCode.OK, first.getError().getCode());
    assertEquals(List.of(), names(first));
    assertTrue(first.getList().getNextPageToken().isEmpty(), "nothing matched to the end");
  }

  @Test
  void badOrForeignTokensAreRefusedClearly() {
    String bob = api.tenant("bob");
    FornaxConnection b = api.connect(bob);
    String acmeToken = page(acme, ListRequest.newBuilder().setKind(Kind.APPLICATION).setLimit(5))
        .getList().getNextPageToken();
    assertFalse(acmeToken.isEmpty());
    for (String token : List.of("not base64!", "x".repeat(2000),
        Base64.getUrlEncoder().encodeToString("v0:acme/app-01".getBytes(StandardCharsets.UTF_8)),
        acmeToken)) {
      Response r = page(b, ListRequest.newBuilder().setKind(Kind.APPLICATION).setPageToken(token));
      assertEquals(ErrorCode.INVALID_ARGUMENT, r.getError().getCode(), token);
      assertTrue(r.getError().getMessage().contains("page_token"), r.getError().getMessage());
    }
    // The admin may continue any list it started, across tenants.
    Response admin = page(api.admin, ListRequest.newBuilder().setKind(Kind.APPLICATION)
        .setLimit(5).setPageToken(acmeToken));
    assertEquals(ErrorCode.OK, admin.getError().getCode(), admin.getError().getMessage());
    assertEquals("app-05", names(admin).get(0));
  }
}
