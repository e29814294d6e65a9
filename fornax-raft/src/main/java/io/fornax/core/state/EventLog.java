package io.fornax.core.state;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.ErrorCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A bounded window of recent changes, by revision, for watches. A watcher asking for a revision
 * that has left the window gets COMPACTED and must list again. The window starts empty at the
 * replica's applied index when it starts, so a restart also compacts.
 */
public final class EventLog {
  private final int capacity;
  private final ArrayDeque<ChangeEvent> window = new ArrayDeque<>();
  private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  /** Every change with revision > compactedRevision is in the window (or still to come). */
  private long compactedRevision;
  private long lastRevision;

  public EventLog(int capacity, long startRevision) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
    this.compactedRevision = startRevision;
    this.lastRevision = startRevision;
  }

  /** Appends the events of one applied entry and hands them to live subscribers. */
  public void append(List<ChangeEvent> events, long revision) {
    synchronized (this) {
      for (ChangeEvent e : events) {
        window.addLast(e);
      }
      while (window.size() > capacity) {
        compactedRevision = window.removeFirst().revision();
      }
      // Drop a partial entry at the head so the window holds whole revisions only.
      while (!window.isEmpty() && window.peekFirst().revision() == compactedRevision) {
        window.removeFirst();
      }
      lastRevision = Math.max(lastRevision, revision);
    }
    for (Subscriber s : subscribers) {
      for (ChangeEvent e : events) {
        s.offer(e);
      }
    }
  }

  /**
   * Forgets everything, e.g. after a snapshot install replaced the state. The changes the
   * snapshot brought never pass through the log, so every live subscription is told ({@code
   * onReset}) and dropped: a watcher must list again, as after a compaction.
   */
  public void reset(long revision) {
    List<Subscriber> ended;
    synchronized (this) {
      window.clear();
      compactedRevision = revision;
      lastRevision = revision;
      ended = new ArrayList<>(subscribers);
      subscribers.clear();
    }
    for (Subscriber s : ended) {
      s.onReset.run();
    }
  }

  /**
   * Delivers, in order, every event with a revision greater than {@code fromRevision} (0: only
   * future events) to {@code sink}, first from the window and then live, until the returned
   * handle is closed. Throws COMPACTED when {@code fromRevision} is older than the window.
   */
  public Subscription subscribe(long fromRevision, Consumer<ChangeEvent> sink) {
    return subscribe(fromRevision, sink, () -> {});
  }

  /** As {@link #subscribe(long, Consumer)}; {@code onReset} runs if {@link #reset} ends it. */
  public Subscription subscribe(long fromRevision, Consumer<ChangeEvent> sink, Runnable onReset) {
    Subscriber s = new Subscriber(sink, onReset);
    List<ChangeEvent> backlog = new ArrayList<>();
    long startedAt;
    synchronized (this) {
      long from = fromRevision == 0 ? lastRevision : fromRevision;
      if (from < compactedRevision) {
        throw new FornaxException(ErrorCode.COMPACTED, String.format(
            "revision %d is older than the oldest retained change (%d); list again and watch from"
                + " the list's revision", fromRevision, compactedRevision + 1));
      }
      for (ChangeEvent e : window) {
        if (e.revision() > from) {
          backlog.add(e);
        }
      }
      startedAt = Math.max(from, lastRevision);
      // Registered inside the lock: no append can slip between the backlog and live delivery.
      subscribers.add(s);
    }
    s.start(backlog, startedAt);
    return new Subscription(startedAt, () -> subscribers.remove(s));
  }

  public synchronized long compactedRevision() {
    return compactedRevision;
  }

  /** Handle of one subscription: {@link #startRevision()} is where live delivery began. */
  public record Subscription(long startRevision, Runnable closer) implements AutoCloseable {
    @Override
    public void close() {
      closer.run();
    }
  }

  /**
   * Queues live events that arrive while the backlog is still being delivered. Live delivery
   * happens outside the log's lock, so an entry already in the backlog (or at or below where the
   * subscription starts) can also be offered live: such repeats are dropped here, by revision,
   * which is safe because entries are appended whole and in order.
   */
  private static final class Subscriber {
    private final Consumer<ChangeEvent> sink;
    private final Runnable onReset;
    private List<ChangeEvent> pending = new ArrayList<>();
    private long floor = Long.MAX_VALUE;

    Subscriber(Consumer<ChangeEvent> sink, Runnable onReset) {
      this.sink = sink;
      this.onReset = onReset;
    }

    synchronized void start(List<ChangeEvent> backlog, long startRevision) {
      backlog.forEach(sink);
      floor = backlog.isEmpty() ? startRevision : backlog.get(backlog.size() - 1).revision();
      for (ChangeEvent e : pending) {
        if (e.revision() > floor) {
          sink.accept(e);
        }
      }
      pending = null;
    }

    synchronized void offer(ChangeEvent e) {
      if (pending != null) {
        pending.add(e);
      } else if (e.revision() > floor) {
        sink.accept(e);
      }
    }
  }
}
