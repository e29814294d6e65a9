package io.fornax.client;

import io.fornax.api.proto.ErrorCode;

/** No replica could serve the call in time (UNAVAILABLE, NOT_LEADER, TIMEOUT, or a lost connection whose outcome is unknown). */
public final class UnavailableException extends FornaxClientException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(ErrorCode code, String message) {
    super(code, message);
  }
}
