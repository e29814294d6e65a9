package io.fornax.examples;

import io.fornax.sdk.FornaxSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * The example application: echoes every byte back on its port ({@code FORNAX_PORT_MAIN}, default
 * 7000) and speaks the session protocol when run under an agent, answering ready at once.
 */
public final class EchoApp {
  private EchoApp() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("FORNAX_PORT_MAIN", "7000"));
    ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    if (System.getenv("FORNAX_SESSION_SERVER") != null) {
      FornaxSession.connect(new FornaxSession.Handler() {
        @Override
        public void onOpen(String session, byte[] data) {
          System.out.println("open " + session + " (" + data.length + " bytes of session data)");
        }

        @Override
        public void onClose(String session, Duration grace) {
          System.out.println("close " + session);
        }
      });
    }
    System.out.println("echo listening on " + port);
    while (true) {
      Socket s = server.accept();
      Thread t = new Thread(() -> echo(s), "echo");
      t.setDaemon(true);
      t.start();
    }
  }

  private static void echo(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // client went away
    }
  }
}
