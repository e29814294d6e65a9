package io.fornax.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.client.FornaxClient;
import io.fornax.client.NotFoundException;
import io.fornax.client.UnauthorizedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 7: bad and hostile input against a live cluster. Each gets an error (and, where the
 * stream is beyond repair, a closed connection); no replica crashes and no state changes.
 */
class HostileInputIT {
  private static final int MAX_FRAME = 64 * 1024;
  private static final Duration FRAME_TIMEOUT = Duration.ofSeconds(2);
  @RegisterExtension final ClusterExtension clusters = new ClusterExtension();

  @ParameterizedTest(name = "run {0}")
  @MethodSource("io.fornax.it.Repeat#runs")
  void hostileInputChangesNothing(int run) throws Exception {
    FornaxCluster cluster = clusters.start(ClusterOptions.defaults().frames(MAX_FRAME, FRAME_TIMEOUT));
    FornaxClient admin = cluster.client();
    admin.tenants().create("acme");
    String evilToken = admin.tenants().create("evil").getToken();
    admin.withTenant("acme").applications().create(TestApps.simulated("secret",
        TestApps.scaling(0, 1, 0, 0)));
    Map<String, Object> before = snapshot(cluster);

    for (String ep : cluster.endpoints()) {
      brokenFrames(ep);
    }
    slowLoris(cluster, admin);
    wrongTokens(cluster);
    for (String id : cluster.replicas()) {
      assertTrue(cluster.isRunning(id), id + " died");
    }
    // Refused at the door: not even a Raft entry.
    assertEquals(before, snapshot(cluster), "state after broken frames, slow clients, wrong tokens");

    anotherTenantsIds(cluster, evilToken);
    // Writes naming another tenant's resources may be refused only when applied (they then use
    // up a log entry each, but change nothing): compare the contents, not the indexes.
    Map<String, Object> after = snapshot(cluster);
    after.keySet().removeIf(k -> k.endsWith(" applied"));
    before.keySet().removeIf(k -> k.endsWith(" applied"));
    assertEquals(before, after, "state after another tenant's requests");
    for (String id : cluster.replicas()) {
      assertTrue(cluster.isRunning(id), id + " died");
    }
  }

  /** Every replica's applied index (once they agree) and the contents that matter. */
  private static Map<String, Object> snapshot(FornaxCluster cluster) {
    long applied = cluster.status(cluster.leader()).getAppliedIndex();
    for (String id : cluster.replicas()) {
      await(id + " applied " + applied).atMost(Duration.ofSeconds(10))
          .until(() -> cluster.status(id).getAppliedIndex() >= applied);
    }
    Map<String, Object> s = new LinkedHashMap<>();
    for (String id : cluster.replicas()) {
      s.put(id + " applied", cluster.status(id).getAppliedIndex());
    }
    FornaxClient admin = cluster.client();
    s.put("tenants", admin.tenants().list());
    s.put("acme apps", admin.withTenant("acme").applications().list());
    s.put("evil apps", admin.withTenant("evil").applications().list());
    s.put("acme sessions", admin.withTenant("acme").sessions().list());
    s.put("nodes", admin.nodes().list());
    return s;
  }

  private static void brokenFrames(String ep) throws IOException {
    byte[] invalidProto = new byte[16];
    Arrays.fill(invalidProto, (byte) 0xFF); // wire type 7 does not exist
    expectErrorAndClose(ep, "garbage frame", ErrorCode.INVALID_ARGUMENT,
        c -> c.frame(invalidProto.length, invalidProto));
    expectErrorAndClose(ep, "HTTP request", ErrorCode.RESOURCE_EXHAUSTED,
        c -> c.send("GET / HTTP/1.1\r\nHost: fornax\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    expectErrorAndClose(ep, "negative length", ErrorCode.RESOURCE_EXHAUSTED,
        c -> c.frame(-5, new byte[8])); // Netty reads it as an unsigned, far too long length
    expectErrorAndClose(ep, "oversized frame", ErrorCode.RESOURCE_EXHAUSTED,
        c -> c.frame(MAX_FRAME * 4, new byte[MAX_FRAME + 1024]));

    try (RawConnection c = new RawConnection(ep, 5_000)) {
      Response r = c.frame(0, new byte[0]).read();
      assertNotNull(r, "an empty frame gets an answer");
      assertNotEquals(ErrorCode.OK, r.getError().getCode(), "an empty request: " + r);
      byte[] noToken = Request.newBuilder().setId(7).setList(ListRequest.newBuilder()
          .setKind(Kind.TENANT)).build().toByteArray();
      Response unauth = c.frame(noToken.length, noToken).read();
      assertNotNull(unauth, "a request without a token gets an answer on the same connection");
      assertEquals(ErrorCode.UNAUTHENTICATED, unauth.getError().getCode(), unauth.toString());
    }
  }

  private interface Abuse {
    void send(RawConnection c) throws IOException;
  }

  private static void expectErrorAndClose(String ep, String what, ErrorCode code, Abuse abuse)
      throws IOException {
    try (RawConnection c = new RawConnection(ep, 5_000)) {
      try {
        abuse.send(c);
      } catch (IOException closedWhileWriting) {
        return; // the server gave up on the stream before we finished writing: closed it is
      }
      Response r = c.read();
      if (r != null) {
        assertEquals(code, r.getError().getCode(), what + ": " + r);
      }
      assertTrue(c.closedByServer(), what + ": connection left open");
    }
  }

  /** Connections that trickle a frame, or say nothing, are cut; the replica serves others meanwhile. */
  private static void slowLoris(FornaxCluster cluster, FornaxClient admin) throws IOException {
    String ep = cluster.endpoint(cluster.leader());
    List<RawConnection> loris = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        RawConnection c = new RawConnection(ep, (int) FRAME_TIMEOUT.multipliedBy(4).toMillis());
        if (i % 2 == 0) {
          c.send(new byte[] {0, 0, 1}); // a frame begun, never finished
        }
        loris.add(c);
      }
      long start = System.nanoTime();
      admin.tenants().list();
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < FRAME_TIMEOUT.toMillis(), "a call took " + ms + " ms among slow connections");
      for (RawConnection c : loris) {
        assertTrue(c.closedByServer(), "a slow connection outlived the frame timeout");
      }
    } finally {
      for (RawConnection c : loris) {
        c.close();
      }
    }
  }

  private static void refused(org.junit.jupiter.api.function.Executable call) {
    var e = assertThrows(io.fornax.client.FornaxClientException.class, call);
    assertTrue(e instanceof UnauthorizedException || e instanceof NotFoundException, e.toString());
  }

  private static void wrongTokens(FornaxCluster cluster) {
    for (String token : List.of("admin.wrong", "", "x".repeat(10_000))) {
      try (FornaxClient wrong = FornaxClient.builder().endpoints(cluster.endpoints()).token(token)
          .requestTimeout(Duration.ofSeconds(10)).build()) {
        assertThrows(UnauthorizedException.class, () -> wrong.tenants().list());
        assertThrows(UnauthorizedException.class, () -> wrong.tenants().create("intruder"));
        assertThrows(UnauthorizedException.class, () -> wrong.withTenant("acme").applications()
            .delete("secret"));
      }
    }
  }

  /** A tenant's token reaches only its own resources, whatever names or tenant it sends. */
  private static void anotherTenantsIds(FornaxCluster cluster, String evilToken) {
    try (FornaxClient evil = FornaxClient.builder().endpoints(cluster.endpoints()).token(evilToken)
        .requestTimeout(Duration.ofSeconds(10)).build()) {
      assertThrows(NotFoundException.class, () -> evil.applications().get("secret"));
      assertThrows(NotFoundException.class, () -> evil.applications().delete("secret"));
      assertThrows(NotFoundException.class, () -> evil.sessions().open("secret"));
      assertEquals(List.of(), evil.applications().list());
      assertThrows(UnauthorizedException.class, () -> evil.withTenant("acme").applications().list());
      assertThrows(UnauthorizedException.class, () -> evil.withTenant("acme").applications()
          .delete("secret"));
      // Refused as not allowed or as not there (which reveals nothing); the snapshot proves no effect.
      refused(() -> evil.tenants().delete("acme"));
      refused(() -> evil.tenants().rotateToken("acme"));
    }
  }
}
