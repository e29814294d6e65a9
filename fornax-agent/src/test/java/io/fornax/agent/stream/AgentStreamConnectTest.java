package io.fornax.agent.stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.AgentConnectRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One thread drives many streams (the simulator's thousand nodes): a connect that takes long
 * must not hold that thread, or every other node's connect and heartbeat waits behind it.
 */
class AgentStreamConnectTest {
  @Test
  void aConnectThatHangsDoesNotHoldTheOwnersThread() throws Exception {
    ScheduledExecutorService owner = Executors.newSingleThreadScheduledExecutor();
    List<Socket> fillers = new ArrayList<>();
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // Never accepting, with its backlog filled: the kernel leaves further connects hanging.
      InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(),
          full.getLocalPort());
      boolean hangs = false;
      for (int i = 0; i < 10 && !hangs; i++) {
        Socket s = new Socket();
        try {
          s.connect(at, 300);
          fillers.add(s);
        } catch (SocketTimeoutException timedOut) {
          s.close();
          hangs = true;
        }
      }
      assertTrue(hangs, "a connect to a full backlog hangs");

      AgentStream stream = new AgentStream("n1", List.of("127.0.0.1:" + full.getLocalPort()),
          "token", AgentConnectRequest::getDefaultInstance, a -> { }, owner::execute, null);
      long t0 = System.nanoTime();
      owner.submit(stream::tick).get(10, TimeUnit.SECONDS);
      long tickMs = (System.nanoTime() - t0) / 1_000_000;
      // The connect's own timeout is 2 s: a tick that waited for it took at least that.
      assertTrue(tickMs < 1_000, "the tick waited " + tickMs + " ms for the connect");
      assertFalse(owner.submit(stream::connected).get(10, TimeUnit.SECONDS));
      owner.submit(stream::close).get(10, TimeUnit.SECONDS);
    } finally {
      for (Socket s : fillers) {
        s.close();
      }
      owner.shutdownNow();
    }
  }
}
