package io.fornax.client;

import io.fornax.api.proto.ErrorCode;

/** The token is unknown (UNAUTHENTICATED) or may not do this (PERMISSION_DENIED). */
public final class UnauthorizedException extends FornaxClientException {
  private static final long serialVersionUID = 1L;

  public UnauthorizedException(ErrorCode code, String message) {
    super(code, message);
  }
}
