package io.fornax.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.EventType;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.WatchEvent;
import io.fornax.client.FornaxClient;
import io.fornax.client.OpenOptions;
import io.fornax.client.Watch;
import io.fornax.client.WatchListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client across replica failures: calls fail over, retries stay single, watches resume. */
class ClientFailoverTest {
  @TempDir
  Path root;
  InJvmCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private FornaxClient tenantClient(List<String> endpoints) {
    FornaxClient admin = cluster.client(InJvmCluster.ADMIN);
    String token = admin.tenants().create("acme").getToken();
    FornaxClient c = cluster.client(token, endpoints);
    c.applications().create(ClientFacetsTest.app("echo", 200));
    return c;
  }

  @Test
  void opensInFlightWhenTheirReplicaDiesCompleteOnceEach() throws Exception {
    cluster = new InJvmCluster(root).withSimulatedNodes(3, Duration.ofMillis(10),
        Duration.ofMillis(2));
    // The victim is the replica the client talks to first.
    FornaxClient c = tenantClient(cluster.endpoints());
    List<CompletableFuture<Session>> opens = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String key = "open-" + i;
      keys.add(key);
      opens.add(c.sessions().openAsync("echo", OpenOptions.builder().idempotencyKey(key).build()));
      if (i == 20) {
        cluster.stop(0);
      }
    }
    CompletableFuture.allOf(opens.toArray(new CompletableFuture[0])).get();

    List<Session> held = c.sessions().list("echo");
    Map<String, Long> perKey = held.stream().collect(Collectors.groupingBy(
        s -> s.getSpec().getIdempotencyKey(), Collectors.counting()));
    for (String key : keys) {
      assertEquals(1L, perKey.getOrDefault(key, 0L), "sessions opened with key " + key);
    }
    for (CompletableFuture<Session> f : opens) {
      assertTrue(held.stream().anyMatch(s -> s.getMeta().getName()
          .equals(f.join().getMeta().getName())), "an open the client saw is held by the cluster");
    }
  }

  @Test
  void callsMoveToTheLeaderAFollowerNames() throws Exception {
    cluster = new InJvmCluster(root);
    int leader = cluster.awaitLeader();
    List<String> followerFirst = new ArrayList<>(cluster.endpoints());
    followerFirst.add(0, followerFirst.remove((leader + 1) % followerFirst.size()));
    FornaxClient c = cluster.client(InJvmCluster.ADMIN, followerFirst);
    var first = c.cluster().status();
    assertTrue(!first.getServedBy().equals(first.getLeader()), "served by the follower");
    assertEquals(first.getLeader(), c.cluster().status().getServedBy(),
        "the next call goes to the leader the follower named");
  }

  @Test
  void aDeadFirstEndpointIsSkipped() throws Exception {
    cluster = new InJvmCluster(root);
    cluster.stop(0);
    cluster.awaitLeader();
    FornaxClient admin = cluster.client(InJvmCluster.ADMIN);
    admin.tenants().create("t1");
    assertEquals("t1", admin.tenants().get("t1").getMeta().getName());
  }

  @Test
  void aWatchResumesAcrossALeaderKillWithEveryChangeOnce() throws Exception {
    cluster = new InJvmCluster(root);
    FornaxClient c = tenantClient(cluster.endpoints());
    List<WatchEvent> seen = new CopyOnWriteArrayList<>();
    try (Watch w = c.watch(Kind.APPLICATION, 0, seen::add)) {
      w.started().get();
      for (int i = 0; i < 10; i++) {
        c.applications().create(ClientFacetsTest.app("before-" + i, 1));
      }
      cluster.stop(cluster.awaitLeader());
      for (int i = 0; i < 10; i++) {
        c.applications().create(ClientFacetsTest.app("after-" + i, 1));
      }
      // At least 20: a repeat must fail the distinct check below with the names, not time out.
      try {
        await().atMost(Duration.ofSeconds(30)).failFast("the watch ended", w::isClosed)
            .until(() -> created(seen).size() >= 20);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("creations seen: " + created(seen) + "; last revision "
            + w.lastRevision(), e);
      }
    }
    List<String> names = created(seen);
    assertEquals(20, names.size(), "creations seen: " + names);
    assertEquals(20, names.stream().distinct().count(), "each creation seen once: " + names);
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(seen.get(i).getRevision() >= seen.get(i - 1).getRevision(), "in order");
    }
  }

  @Test
  void aCompactedWatchReListsAndGoesOn() throws Exception {
    cluster = new InJvmCluster(root, cfg -> cfg.watch.windowEvents = 20);
    FornaxClient c = tenantClient(cluster.endpoints());
    for (int i = 0; i < 60; i++) {
      c.applications().create(ClientFacetsTest.app("old-" + i, 1));
    }
    List<List<Resource>> resyncs = new CopyOnWriteArrayList<>();
    List<WatchEvent> events = new CopyOnWriteArrayList<>();
    try (Watch w = c.watch(Kind.APPLICATION, 1, new WatchListener() {
      @Override
      public void onEvent(WatchEvent event) {
        events.add(event);
      }

      @Override
      public void onResync(List<Resource> items, long revision) {
        resyncs.add(items);
      }
    })) {
      await().atMost(Duration.ofSeconds(20)).until(() -> !resyncs.isEmpty());
      assertTrue(resyncs.get(0).size() >= 61, "the re-list holds every application");
      c.applications().create(ClientFacetsTest.app("new", 1));
      await().atMost(Duration.ofSeconds(20)).until(() -> created(events).contains("new"));
    }
  }

  private static List<String> created(List<WatchEvent> events) {
    Function<WatchEvent, Application> app = e -> e.getResource().getApplication();
    return events.stream()
        .filter(e -> e.getType() == EventType.PUT && e.getResource().hasApplication()
            && app.apply(e).getMeta().getCreateRevision() == app.apply(e).getMeta().getRevision())
        .map(e -> app.apply(e).getMeta().getName()).toList();
  }
}
