package io.fornax.it;

import io.fornax.api.proto.Session;
import io.fornax.client.FornaxClient;
import io.fornax.client.FornaxClientException;
import io.fornax.client.OpenOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Clients opening and closing sessions continuously, recording what they saw: which opens
 * succeeded (by idempotency key), which closes completed, and which calls failed and how.
 */
final class SessionLoad implements AutoCloseable {
  /** Opens that returned a session: idempotency key to session name. */
  final Map<String, String> opened = new ConcurrentHashMap<>();
  /** Sessions whose close returned. */
  final Set<String> closed = ConcurrentHashMap.newKeySet();
  /** Calls that failed: idempotency key (or session name) to the error. */
  final Map<String, String> failed = new ConcurrentHashMap<>();
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean stop;

  private final int closeEvery;

  /** {@code threads} clients, each opening sessions and closing every {@code closeEvery}-th. */
  SessionLoad(FornaxClient client, String application, int threads, String prefix, int closeEvery) {
    this.closeEvery = closeEvery;
    for (int w = 0; w < threads; w++) {
      String worker = prefix + "-w" + w;
      Thread t = new Thread(() -> run(client, application, worker), worker);
      t.setDaemon(true);
      workers.add(t);
    }
  }

  SessionLoad start() {
    workers.forEach(Thread::start);
    return this;
  }

  private void run(FornaxClient client, String application, String worker) {
    for (int i = 0; !stop && i < 100_000; i++) {
      String key = worker + "-" + i;
      String name = null;
      try {
        Session s = client.sessions().open(application, OpenOptions.builder().idempotencyKey(key)
            .openTimeout(Duration.ofSeconds(30)).build());
        name = s.getMeta().getName();
        opened.put(key, name);
        if (i % closeEvery == 0) {
          client.sessions().close(name);
          closed.add(name);
        }
      } catch (FornaxClientException e) {
        failed.put(name == null ? key : name, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
  }

  int opens() {
    return opened.size();
  }

  /** Stops the clients and waits (bounded) for the calls in flight to return. */
  @Override
  public void close() {
    stop = true;
    for (Thread t : workers) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(90));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        throw new AssertionError(t.getName() + " still blocked in a call 90 s after the stop");
      }
    }
  }
}
