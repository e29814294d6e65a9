package io.fornax.client;

import io.fornax.api.proto.ErrorCode;

/** The expected revision is stale (CONFLICT): re-read and retry. */
public final class ConflictException extends FornaxClientException {
  private static final long serialVersionUID = 1L;

  public ConflictException(ErrorCode code, String message) {
    super(code, message);
  }
}
