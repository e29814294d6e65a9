package io.fornax.sdk;

import io.fornax.agent.session.SessionMessage;
import io.fornax.api.Nullable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
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
 * <p>Reads {@code FORNAX_SESSION_SERVER} ({@code host:port}, or {@code unix:/path} for a Unix
 * socket, as containers in their own network namespace get), {@code FORNAX_INSTANCE_ID} and
 * {@code FORNAX_SESSION_TOKEN} from the environment, answers {@code ready} when
 * {@link Handler#onOpen} returns and {@code closed} when {@link Handler#onClose} returns, and
 * heartbeats in the background. When the connection drops (the agent restarted), it reconnects
 * to the same address with back-off (100 ms doubling to 5 s, for as long as the process lives
 * or until {@link #close()}) and says hello again; the restarted agent knows the instance and
 * its open sessions again from that hello.
 */
public final class FornaxSession implements AutoCloseable {
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  /** What an application does when the agent opens or closes one of its sessions. */
  public interface Handler {
    void onOpen(String session, byte[] data) throws Exception;

    default void onClose(String session, Duration grace) throws Exception {}
  }

  private final SocketAddress address;
  private final String instance;
  private final String token;
  private final Handler handler;
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(io.fornax.api.Threads.daemon("fornax-heartbeat"));
  private volatile @Nullable Connection socket;
  private volatile boolean closed;

  private FornaxSession(SocketAddress address, String instance, String token, Handler handler) {
    this.address = address;
    this.instance = instance;
    this.token = token;
    this.handler = handler;
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

  /** Connects now (failing if the agent cannot be reached), then keeps the connection up. */
  public static FornaxSession connect(String address, String instance, String token,
      Handler handler, Duration heartbeatEvery) throws IOException {
    FornaxSession fs = new FornaxSession(parse(address), instance, token, handler);
    fs.socket = fs.open();
    fs.heartbeats.scheduleAtFixedRate(() -> fs.sendQuietly(SessionMessage.of("heartbeat")),
        0, heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
    Thread reader = new Thread(fs::run, "fornax-session");
    reader.setDaemon(true);
    reader.start();
    return fs;
  }

  /** {@code host:port} or {@code unix:/path}. */
  static SocketAddress parse(String address) {
    if (address.startsWith("unix:")) {
      return UnixDomainSocketAddress.of(address.substring("unix:".length()));
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("session server address must be host:port or unix:/path, got "
          + address);
    }
    return new InetSocketAddress(address.substring(0, colon),
        Integer.parseInt(address.substring(colon + 1)));
  }

  /** A new connection that has said hello. */
  private Connection open() throws IOException {
    Connection c = Connection.open(address);
    try {
      SessionMessage hello = SessionMessage.of("hello");
      hello.instance = instance;
      hello.token = token;
      c.out().write(hello.toLine().getBytes(StandardCharsets.UTF_8));
      c.out().flush();
      return c;
    } catch (IOException e) {
      c.close();
      throw e;
    }
  }

  /** Reads the current connection until it ends, then reconnects, until closed. */
  private void run() {
    long backoff = FIRST_BACKOFF_MS;
    while (!closed) {
      Connection s = socket;
      if (s != null) {
        long since = System.nanoTime();
        read(s);
        closeQuietly(s);
        socket = null;
        // A connection the agent keeps rejecting must not turn into a reconnect storm.
        backoff = System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(MAX_BACKOFF_MS)
            ? FIRST_BACKOFF_MS : Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
      try {
        Thread.sleep(backoff);
        if (!closed) {
          socket = open();
        }
      } catch (IOException e) {
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void read(Connection s) {
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.in(),
          StandardCharsets.UTF_8));
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
      if (!closed) {
        System.err.println("fornax session connection ended (reconnecting): " + e);
      }
    }
  }

  private synchronized void send(SessionMessage m) throws IOException {
    Connection s = socket;
    if (s == null) {
      throw new IOException("not connected to the session server");
    }
    s.out().write(m.toLine().getBytes(StandardCharsets.UTF_8));
    s.out().flush();
  }

  /** A failed heartbeat drops the connection; the reader then reconnects. */
  private void sendQuietly(SessionMessage m) {
    Connection s = socket;
    try {
      send(m);
    } catch (IOException e) {
      if (s != null) {
        closeQuietly(s);
      }
    }
  }

  private static void closeQuietly(Connection s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** Disconnects for good: no more reconnects. */
  @Override
  public void close() {
    closed = true;
    heartbeats.shutdownNow();
    Connection s = socket;
    if (s != null) {
      closeQuietly(s);
    }
  }
}
