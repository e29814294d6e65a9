package io.fornax.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.state.StateDigest;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile bytes on the API port: an error frame, that connection closed, nothing else affected. */
class BadInputTest {
  @TempDir static Path tmp;
  static ApiCluster cluster;
  static ApiServer impatient;

  @BeforeAll
  static void start() throws Exception {
    cluster = new ApiCluster(tmp);
    impatient = new ApiServer(cluster.leader().replica(),
        ApiServerConfig.loopback(Tokens.sha256Hex(ApiCluster.ADMIN_TOKEN))
            .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(30))).start();
  }

  @AfterAll
  static void stop() throws Exception {
    impatient.close();
    cluster.close();
  }

  private static Socket socket(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(10_000);
    return s;
  }

  /** Reads one response frame, then expects the server to close the connection. */
  private static Response readErrorThenEof(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    Response r = Response.parseFrom(frame);
    try {
      int next = in.read();
      assertEquals(-1, next, "connection closed after the error");
    } catch (IOException closed) {
      // reset by the server: closed as well
    }
    return r;
  }

  private static String digest() {
    cluster.leader().replica().readBarrier().join();
    return StateDigest.of(cluster.leader().replica().state());
  }

  private static void serverStillServes() {
    FornaxConnection c = cluster.connect(cluster.leader(), ApiCluster.ADMIN_TOKEN);
    Response r = ApiCluster.call(c, Request.newBuilder().setList(ListRequest.newBuilder()
        .setKind(Kind.TENANT)));
    assertEquals(ErrorCode.OK, r.getError().getCode());
  }

  @Test
  void oversizedFrameIsRefused() throws IOException {
    String before = digest();
    try (Socket s = socket(cluster.leader().apiPort())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(64 << 20);
      out.write(new byte[1024]);
      out.flush();
      Response r = readErrorThenEof(s);
      assertEquals(ErrorCode.RESOURCE_EXHAUSTED, r.getError().getCode());
      assertTrue(r.getError().getMessage().contains("limit"), r.getError().getMessage());
    }
    serverStillServes();
    assertEquals(before, digest());
  }

  @Test
  void garbageIsRefused() throws IOException {
    String before = digest();
    byte[] junk = new byte[200];
    new SplittableRandom(7).nextBytes(junk);
    junk[0] = (byte) 0xff; // an invalid protobuf tag, whatever follows
    try (Socket s = socket(cluster.follower(0).apiPort())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(junk.length);
      out.write(junk);
      out.flush();
      Response r = readErrorThenEof(s);
      assertEquals(ErrorCode.INVALID_ARGUMENT, r.getError().getCode());
    }
    serverStillServes();
    assertEquals(before, digest());
  }

  @Test
  void unfinishedFrameTimesOut() throws IOException {
    try (Socket s = socket(impatient.port())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(1000);
      out.write(new byte[10]);
      out.flush();
      Response r = readErrorThenEof(s);
      assertEquals(ErrorCode.TIMEOUT, r.getError().getCode());
    }
    serverStillServes();
  }

  @Test
  void requestWithoutBodyIsInvalid() {
    FornaxConnection c = cluster.connect(cluster.leader(), ApiCluster.ADMIN_TOKEN);
    Response r = ApiCluster.call(c, Request.newBuilder());
    assertEquals(ErrorCode.INVALID_ARGUMENT, r.getError().getCode());
    assertEquals("request has no body", r.getError().getMessage());
    assertTrue(c.isOpen(), "a well-formed but empty request keeps the connection");
  }

  @Test
  void abruptDisconnectMidFrameIsHarmless() throws IOException {
    try (Socket s = socket(cluster.leader().apiPort())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(50);
      out.write(new byte[5]);
      out.flush();
    }
    serverStillServes();
  }

}
