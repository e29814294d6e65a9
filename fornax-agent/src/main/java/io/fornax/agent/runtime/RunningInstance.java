package io.fornax.agent.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One started instance. */
public interface RunningInstance {
  /** Exit code of an instance whose exit was seen but whose code is not known (adopted). */
  int UNKNOWN_EXIT = -1;

  String id();

  long pid();

  /** When {@link #pid()} started (ticks since boot): tells it from a later owner of the pid. */
  long startTime();

  /** Completes with the exit code when the instance's main process ends, however it ends. */
  CompletableFuture<Integer> exit();

  /** Stops it using any CPU until {@link #resume()} (standby). */
  void freeze();

  void resume();

  boolean frozen();

  /**
   * Whether something in the instance accepts TCP connections on {@code port} (as the instance
   * sees it); by default, whether a connection to it on the node's loopback succeeds.
   */
  default boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Where the ingress reaches the instance's {@code port} (as the instance sees it): by default
   * that port on the node's loopback.
   */
  default SocketAddress target(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** SIGTERM, then SIGKILL once {@code grace} has passed; completes with the exit code. */
  CompletableFuture<Integer> terminate(Duration grace);
}
