package io.fornax.client;

import io.fornax.api.proto.ClusterStatusRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.WatchEvent;
import io.fornax.api.proto.WatchRequest;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.client.internal.Transport;
import io.fornax.client.internal.WatchStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live watch: every change of one kind (optionally one name or label selector) after a
 * revision, delivered to a {@link WatchListener} in order and once each. When its replica fails
 * it resumes on another from the last revision it delivered; when that revision is compacted it
 * re-lists ({@link WatchListener#onResync}) and goes on. It runs until {@link #close()}.
 */
public final class Watch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Watch.class);

  private final Transport transport;
  private final WatchRequest template;
  private final WatchListener listener;
  private final CompletableFuture<Long> started = new CompletableFuture<>();
  // Events of one Raft entry share a revision: resume from the last complete revision and drop
  // the repeats of the one in progress.
  private long completeRevision;
  private long currentRevision;
  private final Set<String> currentKeys = new HashSet<>();
  private WatchStream stream;
  private FornaxConnection connection;
  private String endpoint;
  private int failures;
  private volatile boolean closed;

  Watch(Transport transport, WatchRequest template, WatchListener listener) {
    this.transport = transport;
    this.template = template;
    this.listener = listener;
    this.completeRevision = template.getFromRevision();
    this.currentRevision = template.getFromRevision();
    transport.schedule(this::start, 0);
    transport.schedule(this::probe, transport.attemptTimeout().toMillis());
  }

  /** Completes with the starting revision once the first replica accepted the watch. */
  public CompletableFuture<Long> started() {
    return started;
  }

  /** The revision of the last event delivered (or the start revision). */
  public synchronized long lastRevision() {
    return currentRevision;
  }

  /** Whether the watch is over: closed, or ended by an error. */
  public boolean isClosed() {
    return closed;
  }

  private void start() {
    if (closed) {
      return;
    }
    FornaxConnection c;
    try {
      c = transport.anyConnection(); // may block connecting: not under the lock
    } catch (RuntimeException e) {
      restartLater("no replica reachable: " + e.getMessage());
      return;
    }
    synchronized (this) {
      if (!closed) {
        open(c);
      }
    }
  }

  private void open(FornaxConnection c) {
    WatchRequest req = template.toBuilder().setFromRevision(completeRevision).build();
    String ep = c.address();
    connection = c;
    endpoint = ep;
    stream = c.watch(req, r -> onResponse(ep, r), e -> {
      transport.skip(ep);
      restartLater("connection to " + ep + " lost: " + e.getMessage());
    });
  }

  /**
   * A frozen replica (stopped, swapping, partitioned) keeps its connection open and says nothing,
   * so a quiet watch cannot tell it from a quiet cluster: ask the replica something every attempt
   * timeout, and resume elsewhere if it does not answer in that time.
   */
  private void probe() {
    FornaxConnection c;
    WatchStream s;
    String ep;
    synchronized (this) {
      if (closed) {
        return;
      }
      c = connection;
      s = stream;
      ep = endpoint;
    }
    long timeout = transport.attemptTimeout().toMillis();
    if (c == null || s == null || s.isDone()) {
      transport.schedule(this::probe, timeout);
      return;
    }
    c.call(Request.newBuilder().setClusterStatus(ClusterStatusRequest.getDefaultInstance()).build())
        .orTimeout(timeout, TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> {
          // Silent, or gone without its stream hearing of it: resume elsewhere either way.
          if (e instanceof TimeoutException || (e != null && !c.isOpen())) {
            unresponsive(s, ep, timeout);
          }
          transport.schedule(this::probe, timeout);
        });
  }

  private synchronized void unresponsive(WatchStream s, String ep, long timeoutMs) {
    if (closed || s != stream) {
      return;
    }
    s.cancel();
    transport.skip(ep);
    restartLater(ep + " did not answer within " + timeoutMs + " ms");
  }

  private synchronized void onResponse(String ep, Response r) {
    if (closed) {
      return;
    }
    if (r.hasError() && r.getError().getCode() != ErrorCode.OK) {
      ErrorCode code = r.getError().getCode();
      switch (code) {
        case COMPACTED -> transport.schedule(this::resync, 0);
        case UNAVAILABLE, NOT_LEADER, TIMEOUT -> {
          transport.skip(ep);
          restartLater(ep + ": " + r.getError().getMessage());
        }
        default -> fail(FornaxClientException.of(code, r.getError().getMessage()));
      }
      return;
    }
    failures = 0;
    if (r.hasWatchStarted()) {
      long rev = r.getWatchStarted().getRevision();
      if (completeRevision == 0) {
        completeRevision = rev;
        currentRevision = rev;
      }
      started.complete(rev);
    } else if (r.hasEvent()) {
      deliver(r.getEvent());
    }
  }

  private void deliver(WatchEvent e) {
    long rev = e.getRevision();
    String key = key(e.getResource());
    if (rev < currentRevision || (rev == currentRevision && !currentKeys.add(key))) {
      return; // a repeat after resuming
    }
    if (rev > currentRevision) {
      completeRevision = currentRevision;
      currentRevision = rev;
      currentKeys.clear();
      currentKeys.add(key);
    }
    try {
      listener.onEvent(e);
    } catch (RuntimeException ex) {
      LOG.warn("watch listener failed on revision {}", rev, ex);
    }
  }

  /**
   * Re-lists after a compaction (page after page) and resumes after the first page's revision:
   * changes made while later pages were read come again as events after the resync.
   */
  private void resync() {
    if (closed) {
      return;
    }
    ListRequest list = ListRequest.newBuilder().setKind(template.getKind())
        .setTenant(template.getTenant()).putAllLabelSelector(template.getLabelSelectorMap()).build();
    relist(list, new ArrayList<>(), -1);
  }

  private void relist(ListRequest page, List<Resource> items, long firstRevision) {
    transport.call(Request.newBuilder().setList(page).build()).whenComplete((o, e) -> {
      if (e != null || !o.ok()) {
        restartLater("re-list failed: " + (e != null ? e.getMessage()
            : o.response().getError().getMessage()));
        return;
      }
      for (Resource item : o.response().getList().getItemsList()) {
        if (template.getName().isEmpty()
            || Resources.meta(item).getName().equals(template.getName())) {
          items.add(item);
        }
      }
      long rev = firstRevision >= 0 ? firstRevision : o.response().getRevision();
      String next = o.response().getList().getNextPageToken();
      if (!next.isEmpty()) {
        relist(page.toBuilder().setPageToken(next).build(), items, rev);
        return;
      }
      synchronized (this) {
        completeRevision = rev;
        currentRevision = rev;
        currentKeys.clear();
      }
      try {
        listener.onResync(items, rev);
      } catch (RuntimeException ex) {
        LOG.warn("watch listener failed on resync at {}", rev, ex);
      }
      start();
    });
  }

  private void restartLater(String why) {
    if (closed) {
      return;
    }
    failures++;
    long delay = Math.min(1_000, failures <= transport.endpoints().size() ? 0 : 50L << failures);
    LOG.debug("watch {} resumes from {} in {} ms: {}", template.getKind(), completeRevision,
        delay, why);
    transport.schedule(this::start, delay);
  }

  private void fail(FornaxClientException e) {
    closed = true;
    started.completeExceptionally(e);
    try {
      listener.onError(e);
    } catch (RuntimeException ex) {
      LOG.warn("watch listener failed on error", ex);
    }
  }

  private static String key(Resource r) {
    return r.getKindCase() + "/" + Resources.meta(r).getTenant() + "/"
        + Resources.meta(r).getName();
  }

  /** Stops the watch; no event is delivered after it returns. */
  @Override
  public synchronized void close() {
    closed = true;
    started.cancel(false);
    if (stream != null) {
      stream.cancel();
    }
  }
}
