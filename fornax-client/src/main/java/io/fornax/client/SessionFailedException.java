package io.fornax.client;

import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Session;

/**
 * A session ended before it became AVAILABLE (TIMEOUT, LOST or CLOSED): {@link #session()} holds
 * it, and the message carries its state and reason (e.g. why no node could run it).
 */
public final class SessionFailedException extends FornaxClientException {
  private static final long serialVersionUID = 1L;
  private final transient Session session;

  public SessionFailedException(Session session) {
    super(ErrorCode.FAILED_PRECONDITION, "session " + session.getMeta().getName() + " ended "
        + Resources.state(session.getStatus().getState())
        + (session.getStatus().getReason().isEmpty() ? ""
            : ": " + session.getStatus().getReason()));
    this.session = session;
  }

  /** The session as the cluster last recorded it. */
  public Session session() {
    return session;
  }
}
