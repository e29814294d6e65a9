package io.fornax.core.server;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Response;
import io.fornax.core.state.EventLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The watches open on one connection. A new watch holds its events back until its
 * watch_started response is written, so a client always sees watch_started first and then every
 * event in order. A watcher that stops reading while more than {@link #MAX_BACKLOG_BYTES} pile
 * up is dropped with an error, so one slow client cannot exhaust the replica's memory.
 */
final class ConnectionWatches {
  static final long MAX_BACKLOG_BYTES = 16L << 20;

  private final Channel channel;
  private final int max;
  private final Map<Long, Watch> open = new ConcurrentHashMap<>();

  ConnectionWatches(Channel channel, int max) {
    this.channel = channel;
    this.max = max;
  }

  Channel channel() {
    return channel;
  }

  /** Reserves watch {@code id}; its events are held back until {@link #started}. */
  void open(long id) {
    if (open.size() >= max) {
      throw new FornaxException(ErrorCode.RESOURCE_EXHAUSTED,
          "too many watches on this connection (limit " + max + ")");
    }
    if (open.putIfAbsent(id, new Watch()) != null) {
      throw FornaxException.invalid("request id %d is already a watch on this connection", id);
    }
  }

  /**
   * Writes the watch_started response, then the events held back, then goes live. Events at or
   * below {@code floor} are not news to this watcher and are dropped.
   */
  void started(long id, EventLog.Subscription subscription, long floor, Response startedResponse) {
    Watch w = open.get(id);
    if (w == null) {
      subscription.close();
      return;
    }
    synchronized (w) {
      w.subscription = subscription;
      w.floor = floor;
      channel.write(startedResponse);
      for (Held h : w.held) {
        if (h.revision() > floor) {
          channel.write(h.event());
        }
      }
      w.held = null;
      channel.flush();
    }
    if (!channel.isActive()) {
      cancel(id);
    }
  }

  /** Sends one event, or drops the watch if the client has fallen too far behind. */
  void send(long id, long revision, Response event) {
    Watch w = open.get(id);
    if (w == null) {
      return;
    }
    synchronized (w) {
      if (w.held != null) {
        w.held.add(new Held(revision, event));
        return;
      }
      if (revision <= w.floor) {
        return;
      }
    }
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    if (!channel.isWritable() && out != null && out.totalPendingWriteBytes() > MAX_BACKLOG_BYTES) {
      end(id, ErrorCode.RESOURCE_EXHAUSTED, "watch fell behind; list and watch again");
      return;
    }
    channel.writeAndFlush(event);
  }

  /** Ends watch {@code id} with an error the client acts on (re-list, resume elsewhere). */
  void end(long id, ErrorCode code, String why) {
    if (cancel(id)) {
      channel.writeAndFlush(Responses.error(id, code, why));
    }
  }

  /** Ends watch {@code id}; false if there was none. */
  boolean cancel(long id) {
    Watch w = open.remove(id);
    if (w == null) {
      return false;
    }
    synchronized (w) {
      if (w.subscription != null) {
        w.subscription.close();
      }
    }
    return true;
  }

  boolean isEmpty() {
    return open.isEmpty();
  }

  void closeAll() {
    open.keySet().forEach(this::cancel);
  }

  private record Held(long revision, Response event) {}

  private static final class Watch {
    EventLog.Subscription subscription;
    long floor;
    List<Held> held = new ArrayList<>();
  }
}
