package io.fornax.examples;

import io.fornax.sdk.FornaxSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stateful example: an instance that keeps counting across the sessions it serves. Each
 * connection to its port ({@code FORNAX_PORT_MAIN}, default 7001) gets one line, {@code
 * sessions=S connections=C bytes=B}, and whatever the client sends is counted; the counts live
 * as long as the instance, so a session that lands on a kept instance sees the earlier ones.
 */
public final class CounterApp {
  private static final AtomicLong SESSIONS = new AtomicLong();
  private static final AtomicLong CONNECTIONS = new AtomicLong();
  private static final AtomicLong BYTES = new AtomicLong();

  private CounterApp() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("FORNAX_PORT_MAIN", "7001"));
    ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    if (System.getenv("FORNAX_SESSION_SERVER") != null) {
      FornaxSession.connect(new FornaxSession.Handler() {
        @Override
        public void onOpen(String session, byte[] data) {
          System.out.println("open " + session + ": session " + SESSIONS.incrementAndGet());
        }

        @Override
        public void onClose(String session, Duration grace) {
          System.out.println("close " + session + "; the counts stay");
        }
      });
    }
    System.out.println("counter listening on " + port);
    while (true) {
      Socket s = server.accept();
      Thread t = new Thread(() -> serve(s), "counter");
      t.setDaemon(true);
      t.start();
    }
  }

  private static void serve(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      long c = CONNECTIONS.incrementAndGet();
      out.write(("sessions=" + SESSIONS.get() + " connections=" + c + " bytes=" + BYTES.get()
          + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        BYTES.addAndGet(n);
      }
    } catch (IOException e) {
      // client went away
    }
  }
}
