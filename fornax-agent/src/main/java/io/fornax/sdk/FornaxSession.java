package io.fornax.sdk;

import io.fornax.agent.session.SessionMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The instance side of the session protocol, for Java applications run by Fornax.
 *
 * <pre>{@code
 * FornaxSession.connect(new FornaxSession.Handler() {
 *   public void onOpen(String session, byte[] data) { ... set up; return when ready ... }
 *   public void onClose(String session, Duration grace) { ... }
 * });
 * }</pre>
 *
 * <p>Reads {@code FORNAX_SESSION_SERVER}, {@code FORNAX_INSTANCE_ID} and
 * {@code FORNAX_SESSION_TOKEN} from the environment, answers {@code ready} when
 * {@link Handler#onOpen} returns and {@code closed} when {@link Handler#onClose} returns, and
 * heartbeats in the background.
 */
public final class FornaxSession implements AutoCloseable {
  /** What an application does when the agent opens or closes one of its sessions. */
  public interface Handler {
    void onOpen(String session, byte[] data) throws Exception;

    default void onClose(String session, Duration grace) throws Exception {}
  }

  private final Socket socket;
  private final OutputStream out;
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(io.fornax.api.Threads.daemon("fornax-heartbeat"));

  private FornaxSession(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /** Connects using the environment the agent gave this instance. */
  public static FornaxSession connect(Handler handler) throws IOException {
    String address = System.getenv("FORNAX_SESSION_SERVER");
    if (address == null) {
      throw new IOException("FORNAX_SESSION_SERVER is not set: not running under a Fornax agent");
    }
    return connect(address, System.getenv("FORNAX_INSTANCE_ID"),
        System.getenv("FORNAX_SESSION_TOKEN"), handler, Duration.ofSeconds(2));
  }

  public static FornaxSession connect(String address, String instance, String token,
      Handler handler, Duration heartbeatEvery) throws IOException {
    int colon = address.lastIndexOf(':');
    Socket s = new Socket();
    s.connect(new InetSocketAddress(address.substring(0, colon),
        Integer.parseInt(address.substring(colon + 1))), 5_000);
    FornaxSession fs = new FornaxSession(s);
    SessionMessage hello = SessionMessage.of("hello");
    hello.instance = instance;
    hello.token = token;
    fs.send(hello);
    fs.heartbeats.scheduleAtFixedRate(() -> fs.sendQuietly(SessionMessage.of("heartbeat")),
        0, heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
    Thread reader = new Thread(() -> fs.read(handler), "fornax-session");
    reader.setDaemon(true);
    reader.start();
    return fs;
  }

  private void read(Handler handler) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        SessionMessage m = SessionMessage.parse(line);
        switch (m.type) {
          case "open" -> {
            handler.onOpen(m.session, m.data == null ? new byte[0] : Base64.getDecoder().decode(m.data));
            send(SessionMessage.of("ready").session(m.session));
          }
          case "close" -> {
            handler.onClose(m.session, Duration.ofMillis(m.graceMs == null ? 0 : m.graceMs));
            send(SessionMessage.of("closed").session(m.session));
          }
          case "error" -> System.err.println("fornax session server: " + m.message);
          default -> { }
        }
      }
    } catch (Exception e) {
      System.err.println("fornax session connection ended: " + e);
    } finally {
      close();
    }
  }

  private synchronized void send(SessionMessage m) throws IOException {
    out.write(m.toLine().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void sendQuietly(SessionMessage m) {
    try {
      send(m);
    } catch (IOException e) {
      close();
    }
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
