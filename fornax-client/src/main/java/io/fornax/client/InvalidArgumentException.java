package io.fornax.client;

import io.fornax.api.proto.ErrorCode;

/** The request is malformed; the message names the bad field (INVALID_ARGUMENT). */
public final class InvalidArgumentException extends FornaxClientException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentException(ErrorCode code, String message) {
    super(code, message);
  }
}
