package io.fornax.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.proto.Session;
import io.fornax.client.FornaxClient;
import io.fornax.client.OpenOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 6: the replica a client talks to dies while its opens are in flight. Every open
 * returns exactly once, and each yields exactly one session.
 */
class ClientFailoverIT {
  private static final int OPENS = 40;
  @RegisterExtension final ClusterExtension clusters = new ClusterExtension();

  static Stream<Arguments> victims() {
    return Repeat.runs().boxed().flatMap(run -> Stream.of(Arguments.of(run, "leader"),
        Arguments.of(run, "follower")));
  }

  @ParameterizedTest(name = "run {0}, the {1} dies")
  @MethodSource("victims")
  void opensInFlightCompleteOnceWhenTheirReplicaDies(int run, String role) throws Exception {
    FornaxCluster cluster = clusters.start(ClusterOptions.defaults().simulatedNodes("sim", 3));
    Setup.tenantWithNodes(cluster, "acme", 3).applications()
        .create(TestApps.simulated("app", TestApps.scaling(0, 200, 2, 4)));
    String victim = role.equals("leader") ? cluster.leader() : cluster.follower();
    List<String> order = new ArrayList<>(List.of(victim));
    cluster.replicas().stream().filter(id -> !id.equals(victim)).forEach(order::add);

    try (FornaxClient client = cluster.clientOf(order.toArray(String[]::new))) {
      FornaxClient acme = client.withTenant("acme");
      Map<String, AtomicInteger> returns = new ConcurrentHashMap<>();
      Map<String, CompletableFuture<Session>> opens = new ConcurrentHashMap<>();
      for (int i = 0; i < OPENS; i++) {
        String key = "run" + run + "-" + role + "-" + i;
        returns.put(key, new AtomicInteger());
        opens.put(key, acme.sessions().openAsync("app", OpenOptions.builder().idempotencyKey(key)
            .openTimeout(Duration.ofSeconds(30)).build()));
        opens.get(key).whenComplete((s, e) -> returns.get(key).incrementAndGet());
      }
      await("some opens done").atMost(Duration.ofSeconds(30))
          .until(() -> opens.values().stream().filter(CompletableFuture::isDone).count() >= 3);
      cluster.kill(victim);

      Map<String, String> opened = new ConcurrentHashMap<>();
      Map<String, String> failed = new ConcurrentHashMap<>();
      for (var e : opens.entrySet()) {
        try {
          opened.put(e.getKey(), e.getValue().get(90, TimeUnit.SECONDS).getMeta().getName());
        } catch (java.util.concurrent.ExecutionException x) {
          failed.put(e.getKey(), String.valueOf(x.getCause()));
        }
      }
      assertEquals(Map.of(), failed, "opens that failed");
      await("every open's callbacks ran").atMost(Duration.ofSeconds(10))
          .until(() -> returns.values().stream().allMatch(n -> n.get() >= 1));
      returns.forEach((key, n) -> assertEquals(1, n.get(), key + " returned " + n.get() + " times"));

      Map<String, List<String>> byKey = acme.sessions().list().stream().collect(Collectors.groupingBy(
          s -> s.getSpec().getIdempotencyKey(), Collectors.mapping(s -> s.getMeta().getName(),
              Collectors.toList())));
      opened.forEach((key, name) -> assertEquals(List.of(name), byKey.get(key),
          "sessions of open " + key));
      assertEquals(OPENS, byKey.size(), "sessions by idempotency key: " + byKey.keySet());
    }
  }
}
