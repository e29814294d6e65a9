package io.fornax.client;

import io.fornax.api.proto.ErrorCode;

/** The named resource does not exist (NOT_FOUND). */
public final class NotFoundException extends FornaxClientException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(ErrorCode code, String message) {
    super(code, message);
  }
}
