package io.fornax.core.ratis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records leader hook calls: a term for each onLeaderReady, -1 for each onNotLeader. */
public final class RecordingLeaderListener implements LeaderListener {
  private final List<Long> calls = new CopyOnWriteArrayList<>();

  @Override
  public void onLeaderReady(long term) {
    calls.add(term);
  }

  @Override
  public void onNotLeader() {
    calls.add(-1L);
  }

  public List<Long> calls() {
    return List.copyOf(calls);
  }

  /** The term of the last onLeaderReady not followed by onNotLeader, or 0. */
  public long leadingTerm() {
    List<Long> c = calls();
    return c.isEmpty() || c.get(c.size() - 1) < 0 ? 0 : c.get(c.size() - 1);
  }
}
