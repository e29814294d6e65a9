package io.fornax.client;

import io.fornax.api.proto.ErrorCode;

/** The replica failed unexpectedly (INTERNAL); its log says why. */
public final class InternalException extends FornaxClientException {
  private static final long serialVersionUID = 1L;

  public InternalException(ErrorCode code, String message) {
    super(code, message);
  }
}
