package io.fornax.client;

import io.fornax.api.proto.ErrorCode;

/** The resource is not in a state that allows the call (FAILED_PRECONDITION, FENCED). */
public final class FailedPreconditionException extends FornaxClientException {
  private static final long serialVersionUID = 1L;

  public FailedPreconditionException(ErrorCode code, String message) {
    super(code, message);
  }
}
