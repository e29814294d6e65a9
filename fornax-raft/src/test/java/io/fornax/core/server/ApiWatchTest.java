package io.fornax.core.server;

import static io.fornax.core.server.ApiFixture.app;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.CancelWatchRequest;
import io.fornax.api.proto.DeleteRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.EventType;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.WatchRequest;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.client.internal.WatchStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watches over real sockets: order, resumption, compaction, scoping, cancellation, limits. */
class ApiWatchTest {
  @TempDir Path dir;
  ApiFixture api;

  @AfterEach
  void stop() {
    api.close();
  }

  /** A started watch and what it received. */
  private record Watch(WatchStream stream, List<Response> seen) {
    List<String> names() {
      return seen.stream().filter(Response::hasEvent)
          .map(r -> r.getEvent().getResource().getApplication().getMeta().getName()).toList();
    }
  }

  private static Watch watch(FornaxConnection c, WatchRequest.Builder r) {
    List<Response> seen = new CopyOnWriteArrayList<>();
    WatchStream s = c.watch(r.build(), seen::add, e -> { });
    await().atMost(ApiFixture.TIMEOUT).until(() -> !seen.isEmpty());
    return new Watch(s, seen);
  }

  @Test
  void watchFromNowThenResumeFromARevision() throws InterruptedException {
    api = new ApiFixture(dir);
    FornaxConnection acme = api.connect(api.tenant("acme"));
    Watch w = watch(acme, WatchRequest.newBuilder().setKind(Kind.APPLICATION));
    assertTrue(w.seen().get(0).hasWatchStarted());
    assertEquals(api.applied(), w.seen().get(0).getWatchStarted().getRevision());
    for (int i = 0; i < 5; i++) {
      api.createApp(acme, app("w" + i, 0, 1));
    }
    api.ok(acme, Request.newBuilder().setDelete(DeleteRequest.newBuilder()
        .setKind(Kind.APPLICATION).setName("w0")));
    await().atMost(ApiFixture.TIMEOUT).until(() -> w.seen().size() >= 7);
    assertEquals(List.of("w0", "w1", "w2", "w3", "w4", "w0"), w.names());
    for (int i = 2; i < 7; i++) {
      assertTrue(w.seen().get(i).getRevision() > w.seen().get(i - 1).getRevision());
    }
    assertEquals(EventType.PUT, w.seen().get(1).getEvent().getType());
    assertEquals(EventType.DELETE, w.seen().get(6).getEvent().getType());
    assertEquals(w.seen().get(6).getRevision(), w.seen().get(6).getEvent().getRevision());

    long afterW1 = w.seen().get(2).getRevision();
    Watch resumed = watch(acme, WatchRequest.newBuilder().setKind(Kind.APPLICATION)
        .setFromRevision(afterW1));
    await().atMost(ApiFixture.TIMEOUT).until(() -> resumed.seen().size() >= 5);
    assertEquals(List.of("w2", "w3", "w4", "w0"), resumed.names());
  }

  @Test
  void aCancelledWatchReceivesNothingMore() throws InterruptedException {
    api = new ApiFixture(dir);
    FornaxConnection acme = api.connect(api.tenant("acme"));
    Watch cancelled = watch(acme, WatchRequest.newBuilder().setKind(Kind.APPLICATION));
    cancelled.stream().cancel();
    // A watch started after the cancel on the same connection sees the next write; the
    // connection delivers in order, so by then the cancelled one would have had it too.
    Watch witness = watch(acme, WatchRequest.newBuilder().setKind(Kind.APPLICATION));
    api.createApp(acme, app("later", 0, 1));
    await().atMost(ApiFixture.TIMEOUT).until(() -> witness.seen().size() >= 2);
    assertEquals(1, cancelled.seen().size(), cancelled.seen().toString());
    Response unknown = api.call(acme, Request.newBuilder().setCancelWatch(
        CancelWatchRequest.newBuilder().setWatchId(cancelled.stream().id())));
    assertEquals(ErrorCode.NOT_FOUND, unknown.getError().getCode());
  }

  @Test
  void aRevisionOutsideTheWindowIsCompacted() throws InterruptedException {
    api = new ApiFixture(dir, 3, c -> c);
    FornaxConnection acme = api.connect(api.tenant("acme"));
    for (int i = 0; i < 10; i++) {
      api.createApp(acme, app("a" + i, 0, 1));
    }
    Watch old = watch(acme, WatchRequest.newBuilder().setKind(Kind.APPLICATION)
        .setFromRevision(1));
    assertEquals(ErrorCode.COMPACTED, old.seen().get(0).getError().getCode());
    assertTrue(old.stream().isDone(), "an error ends the watch");
    Watch recent = watch(acme, WatchRequest.newBuilder().setKind(Kind.APPLICATION)
        .setFromRevision(api.applied() - 1));
    await().atMost(ApiFixture.TIMEOUT).until(() -> recent.seen().size() >= 2);
    assertEquals(List.of("a9"), recent.names());
  }

  @Test
  void watchersSeeOnlyWhatTheyMayRead() throws InterruptedException {
    api = new ApiFixture(dir);
    FornaxConnection a = api.connect(api.tenant("tenant-a"));
    FornaxConnection b = api.connect(api.tenant("tenant-b"));
    Watch bApps = watch(b, WatchRequest.newBuilder().setKind(Kind.APPLICATION));
    Watch bTenants = watch(b, WatchRequest.newBuilder().setKind(Kind.TENANT));
    Watch adminApps = watch(api.admin, WatchRequest.newBuilder().setKind(Kind.APPLICATION));
    Watch named = watch(api.admin, WatchRequest.newBuilder().setKind(Kind.APPLICATION)
        .setTenant("tenant-b").setName("mine"));
    Watch labelled = watch(api.admin, WatchRequest.newBuilder().setKind(Kind.APPLICATION)
        .putLabelSelector("tier", "gold"));
    Response denied = api.call(b, Request.newBuilder().setWatch(WatchRequest.newBuilder()
        .setKind(Kind.APPLICATION).setTenant("tenant-a")));
    assertEquals(ErrorCode.PERMISSION_DENIED, denied.getError().getCode());

    api.createApp(a, app("theirs", 0, 1));
    api.tenant("tenant-c");
    api.createApp(b, app("mine", 0, 1).toBuilder().setMeta(io.fornax.api.proto.ObjectMeta
        .newBuilder().setName("mine").putLabels("tier", "gold")).build());
    await().atMost(ApiFixture.TIMEOUT).until(() -> adminApps.seen().size() >= 3);
    await().atMost(ApiFixture.TIMEOUT).until(() -> bApps.seen().size() >= 2);
    assertEquals(List.of("theirs", "mine"), adminApps.names());
    assertEquals(List.of("mine"), bApps.names(), "tenant-a's application stays private");
    assertEquals(List.of("mine"), named.names());
    assertEquals(List.of("mine"), labelled.names());
    assertEquals(1, bTenants.seen().size(), "no other tenant's changes: " + bTenants.seen());
  }

  @Test
  void aConnectionHoldsALimitedNumberOfWatches() throws InterruptedException {
    api = new ApiFixture(dir, 100, c -> c.withConnectionLimits(16, 2));
    FornaxConnection acme = api.connect(api.tenant("acme"));
    watch(acme, WatchRequest.newBuilder().setKind(Kind.APPLICATION));
    Watch second = watch(acme, WatchRequest.newBuilder().setKind(Kind.SESSION));
    Watch third = watch(acme, WatchRequest.newBuilder().setKind(Kind.NODE));
    assertEquals(ErrorCode.RESOURCE_EXHAUSTED, third.seen().get(0).getError().getCode());
    second.stream().cancel(); // sent ahead of the next request on the same connection
    assertTrue(watch(acme, WatchRequest.newBuilder().setKind(Kind.NODE)).seen().get(0)
        .hasWatchStarted(), "a cancelled watch frees its slot");
  }
}
