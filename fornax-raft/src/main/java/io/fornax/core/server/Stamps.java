package io.fornax.core.server;

import io.fornax.api.proto.ObjectMeta;
import java.util.UUID;

/**
 * Identity the API server stamps on new resources before proposing them: apply must stay
 * deterministic, so nothing random is drawn there.
 */
public final class Stamps {
  private Stamps() {}

  /**
   * The requested metadata with a fresh uid; fields apply owns (revisions, timestamps) are
   * cleared so a client cannot forge them.
   */
  static ObjectMeta.Builder newMeta(ObjectMeta requested) {
    return requested.toBuilder().setUid(UUID.randomUUID().toString())
        .clearRevision().clearCreateRevision().clearCreatedAtMs().clearUpdatedAtMs();
  }

  /** {@code s-} and 16 random hex characters. */
  public static String sessionName() {
    return "s-" + Tokens.randomHex(8);
  }
}
