package io.fornax.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.EventType;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Response;
import io.fornax.core.state.ChangeEvent;
import io.fornax.core.state.EventLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The per-connection watch bookkeeping, and the de-duplicating event sink. */
class ConnectionWatchesTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final ConnectionWatches watches = new ConnectionWatches(channel, 2);
  private final AtomicBoolean unsubscribed = new AtomicBoolean();
  private final EventLog.Subscription subscription =
      new EventLog.Subscription(10, () -> unsubscribed.set(true));

  private static Response event(long id, long revision) {
    return Response.newBuilder().setId(id).setRevision(revision).build();
  }

  private static Response started(long id) {
    return Response.newBuilder().setId(id).setRevision(10).build();
  }

  private List<Long> writtenRevisions() {
    List<Long> out = new ArrayList<>();
    for (Object o; (o = channel.readOutbound()) != null; ) {
      out.add(((Response) o).getRevision());
    }
    return out;
  }

  @Test
  void eventsWaitForWatchStartedAndOldOnesAreDropped() {
    watches.open(1);
    watches.send(1, 9, event(1, 9)); // raced in from the entry the watch started at
    watches.send(1, 11, event(1, 11));
    assertNull(channel.readOutbound(), "nothing before watch_started");
    watches.started(1, subscription, 10, started(1));
    watches.send(1, 10, event(1, 10));
    watches.send(1, 12, event(1, 12));
    assertEquals(List.of(10L, 11L, 12L), writtenRevisions()); // started(10), then 11 and 12
  }

  @Test
  void watchesPerConnectionAreBoundedAndIdsUnique() {
    watches.open(1);
    assertEquals(ErrorCode.INVALID_ARGUMENT,
        assertThrows(FornaxException.class, () -> watches.open(1)).code());
    watches.open(2);
    assertEquals(ErrorCode.RESOURCE_EXHAUSTED,
        assertThrows(FornaxException.class, () -> watches.open(3)).code());
    assertTrue(watches.cancel(2));
    watches.open(3);
  }

  @Test
  void cancellingEndsTheSubscription() {
    watches.open(1);
    watches.started(1, subscription, 10, started(1));
    assertTrue(watches.cancel(1));
    assertTrue(unsubscribed.get());
    assertFalse(watches.cancel(1));
    watches.send(1, 11, event(1, 11));
    assertEquals(List.of(10L), writtenRevisions());
    assertTrue(watches.isEmpty());
  }

  @Test
  void aWatcherThatFallsFarBehindIsDropped() {
    watches.open(1);
    watches.started(1, subscription, 10, started(1));
    channel.readOutbound();
    ByteBuf backlog = Unpooled.buffer().writeZero((int) ConnectionWatches.MAX_BACKLOG_BYTES + 1);
    channel.write(backlog); // not flushed: as if the client stopped reading
    assertFalse(channel.isWritable());
    watches.send(1, 11, event(1, 11));
    assertInstanceOf(ByteBuf.class, channel.readOutbound());
    Response last = channel.readOutbound();
    assertEquals(ErrorCode.RESOURCE_EXHAUSTED, last.getError().getCode());
    assertEquals("watch fell behind; list and watch again", last.getError().getMessage());
    assertNull(channel.readOutbound());
    assertTrue(unsubscribed.get());
    backlog.release();
  }

  @Test
  void theSinkPassesEachEventOnceInOrder() {
    List<String> got = new ArrayList<>();
    WatchHandlers.Sink sink = new WatchHandlers.Sink(e -> got.add(e.revision() + e.name()));
    for (ChangeEvent e : List.of(change(1, "a"), change(1, "b"), change(1, "a"), change(2, "a"),
        change(1, "b"), change(2, "a"), change(3, "c"))) {
      sink.accept(e);
    }
    assertEquals(List.of("1a", "1b", "2a", "3c"), got);
  }

  private static ChangeEvent change(long revision, String name) {
    return new ChangeEvent(revision, EventType.PUT, Kind.APPLICATION, "acme", name,
        Resource.getDefaultInstance());
  }
}
