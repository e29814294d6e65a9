package io.fornax.client;

import io.fornax.api.proto.Resource;
import io.fornax.api.proto.WatchEvent;
import java.util.List;

/**
 * Receives a {@link Watch}'s changes, in revision order, each once. Called on the client's I/O
 * thread: return quickly and never block on a client call from here.
 */
public interface WatchListener {
  /** One change. */
  void onEvent(WatchEvent event);

  /**
   * The watch fell behind the replicas' event window (its revision was compacted), so changes
   * were lost: here is everything that matches now, at {@code revision}; events continue after
   * it. A listener that keeps a cache replaces it with {@code items}.
   */
  default void onResync(List<Resource> items, long revision) {}

  /** The watch ended for good (e.g. the token was revoked); nothing follows. */
  default void onError(FornaxClientException error) {}
}
