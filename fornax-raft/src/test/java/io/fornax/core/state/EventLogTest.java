package io.fornax.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.EventType;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Resource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {
  private static ChangeEvent ev(long rev, String name) {
    return new ChangeEvent(rev, EventType.PUT, Kind.APPLICATION, "t", name,
        Resource.getDefaultInstance());
  }

  @Test
  void replaysTheWindowThenDeliversLiveInOrder() {
    EventLog log = new EventLog(100, 0);
    log.append(List.of(ev(1, "a"), ev(1, "b")), 1);
    log.append(List.of(ev(2, "c")), 2);
    List<String> seen = new ArrayList<>();
    EventLog.Subscription s = log.subscribe(1, e -> seen.add(e.name()));
    assertEquals(2, s.startRevision());
    log.append(List.of(ev(3, "d")), 3);
    s.close();
    log.append(List.of(ev(4, "e")), 4);
    assertEquals(List.of("c", "d"), seen);
  }

  @Test
  void aResetEndsLiveSubscriptionsWhoMustListAgain() {
    EventLog log = new EventLog(100, 0);
    log.append(List.of(ev(1, "a")), 1);
    List<String> seen = new ArrayList<>();
    int[] resets = {0};
    log.subscribe(0, e -> seen.add(e.name()), () -> resets[0]++);
    log.reset(50); // a snapshot up to 50 was installed: 2..50 never pass through the log
    log.append(List.of(ev(51, "b")), 51);
    assertEquals(1, resets[0]);
    assertEquals(List.of(), seen, "nothing after the reset: the watcher re-lists instead");
    FornaxException e = assertThrows(FornaxException.class, () -> log.subscribe(1, x -> { }));
    assertEquals(ErrorCode.COMPACTED, e.code());
  }

  @Test
  void fromZeroMeansFromNow() {
    EventLog log = new EventLog(100, 0);
    log.append(List.of(ev(1, "a")), 1);
    List<String> seen = new ArrayList<>();
    log.subscribe(0, e -> seen.add(e.name()));
    log.append(List.of(ev(2, "b")), 2);
    assertEquals(List.of("b"), seen);
  }

  @Test
  void revisionsOlderThanTheWindowAreCompacted() {
    EventLog log = new EventLog(3, 0);
    for (long r = 1; r <= 10; r++) {
      log.append(List.of(ev(r, "x" + r)), r);
    }
    FornaxException e = assertThrows(FornaxException.class, () -> log.subscribe(2, x -> { }));
    assertEquals(ErrorCode.COMPACTED, e.code());
    List<String> seen = new ArrayList<>();
    log.subscribe(log.compactedRevision(), x -> seen.add(x.name()));
    assertEquals(List.of("x8", "x9", "x10"), seen);
  }

  @Test
  void windowNeverHoldsHalfAnEntry() {
    EventLog log = new EventLog(2, 0);
    log.append(List.of(ev(1, "a")), 1);
    log.append(List.of(ev(2, "b"), ev(2, "c")), 2);
    log.append(List.of(ev(3, "d")), 3);
    // Entry 2 had to lose "b", so it is dropped whole: resuming from 1 is no longer possible.
    assertThrows(FornaxException.class, () -> log.subscribe(1, x -> { }));
    List<String> seen = new ArrayList<>();
    log.subscribe(log.compactedRevision(), x -> seen.add(x.name()));
    assertEquals(List.of("d"), seen);
  }

  @Test
  void restartStartsCompactedAtTheAppliedIndex() {
    EventLog log = new EventLog(10, 0);
    log.reset(50);
    assertThrows(FornaxException.class, () -> log.subscribe(49, x -> { }));
    log.subscribe(50, x -> { });
  }
}
