package io.fornax.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Command;
import io.fornax.core.state.EventLog;
import io.fornax.core.state.LifecycleCheck;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.ResourceStateLoader;
import io.fornax.core.state.StateDigest;
import io.fornax.core.store.RocksStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: applying a command log gives one state, however it is reached: once, twice (the
 * second pass is skipped by the stored index), after a restart from RocksDB, or from a snapshot
 * checkpoint plus the rest of the log.
 */
class ReplayDigestTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234})
  void replayGivesTheSameDigest(long seed) {
    List<Command> log = randomLog(new SplittableRandom(seed), 300);

    String once;
    try (Replica r = Replica.open(tmp.resolve("a"))) {
      r.applyAll(log);
      once = StateDigest.of(r.state);
      LifecycleCheck.matchesTables(r.state);
      r.applyAll(log); // a restart replays from an older snapshot index: all skipped
      assertEquals(once, StateDigest.of(r.state));
    }
    try (Replica restarted = Replica.open(tmp.resolve("a"))) {
      assertEquals(once, StateDigest.of(restarted.state), "reloaded from RocksDB");
      assertEquals(log.size(), restarted.state.appliedIndex());
      LifecycleCheck.matchesTables(restarted.state);
    }

    int cut = log.size() / 2;
    Path checkpoint = tmp.resolve("checkpoint");
    try (Replica r = Replica.open(tmp.resolve("b"))) {
      r.applyAll(log.subList(0, cut));
      r.store.checkpoint(checkpoint);
    }
    try (Replica restored = Replica.open(checkpoint)) {
      assertEquals(cut, restored.state.appliedIndex());
      restored.applyAll(log);
      assertEquals(once, StateDigest.of(restored.state), "snapshot + rest of the log");
      LifecycleCheck.matchesTables(restored.state);
    }

    try (Replica other = Replica.open(tmp.resolve("c"))) {
      other.applyAll(randomLog(new SplittableRandom(seed + 1), 300));
      assertNotEquals(once, StateDigest.of(other.state), "the digest tells states apart");
    }
  }

  /** Tenants, applications and sessions created, updated, closed and deleted at random. */
  static List<Command> randomLog(SplittableRandom rnd, int n) {
    List<Command> log = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String tenant = "t" + rnd.nextInt(3);
      Caller caller = rnd.nextInt(10) == 0 ? TestCommands.ADMIN : TestCommands.tenant(tenant);
      String app = "a" + rnd.nextInt(4);
      String session = "s" + rnd.nextInt(20);
      long now = 1_000L * i;
      Command c = switch (rnd.nextInt(7)) {
        case 0 -> TestCommands.createTenant(tenant, now);
        case 1 -> TestCommands.createApp(caller, tenant, app, now);
        case 2 -> TestCommands.updateApp(caller, tenant, app, 1 + rnd.nextInt(9), rnd.nextInt(3) == 0
            ? rnd.nextInt(i + 1) : 0, now);
        case 3 -> TestCommands.deleteApp(caller, tenant, app, now);
        case 4 -> TestCommands.closeSession(caller, tenant, session, now);
        case 5 -> TestCommands.batch(List.of(
            TestCommands.openSession(caller, tenant, app, session, "k" + rnd.nextInt(5), now),
            TestCommands.createApp(caller, tenant, "a" + rnd.nextInt(4), now)));
        default -> TestCommands.openSession(caller, tenant, app, session, "", now);
      };
      log.add(c);
    }
    return log;
  }

  /** A replica's apply path without Raft: state, store and event log. */
  private static final class Replica implements AutoCloseable {
    final RocksStore store;
    final ResourceState state = new ResourceState();
    final EntryApplier applier;

    private Replica(RocksStore store) {
      this.store = store;
      store.loadInto(ResourceStateLoader.into(state));
      this.applier = new EntryApplier(state, () -> store, new EventLog(100, state.appliedIndex()));
    }

    static Replica open(Path dir) {
      return new Replica(RocksStore.open(dir));
    }

    /** Applies the log from index 1; entries already applied must be skipped. */
    void applyAll(List<Command> log) {
      long appliedBefore = state.appliedIndex();
      long index = 0;
      for (Command c : log) {
        index++;
        var result = applier.apply(c.toByteArray(), 1, index);
        if (index <= appliedBefore) {
          assertNull(result, "entry " + index + " was applied twice");
        }
      }
    }

    @Override
    public void close() {
      store.close();
    }
  }
}
