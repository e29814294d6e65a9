package io.fornax.core.ratis;

/** Leader hooks for the scheduler: it runs only between these two calls. */
public interface LeaderListener {
  /** This replica leads {@code term} and has applied the first entry of it. */
  void onLeaderReady(long term);

  /** This replica stopped leading. */
  void onNotLeader();

  /** The group's leader changed as this replica sees it (elected, lost, another one). */
  default void onLeaderChanged() {}

  LeaderListener NONE = new LeaderListener() {
    @Override
    public void onLeaderReady(long term) {}

    @Override
    public void onNotLeader() {}
  };
}
