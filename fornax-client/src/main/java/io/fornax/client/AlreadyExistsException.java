package io.fornax.client;

import io.fornax.api.proto.ErrorCode;

/** A resource with that name exists already (ALREADY_EXISTS). */
public final class AlreadyExistsException extends FornaxClientException {
  private static final long serialVersionUID = 1L;

  public AlreadyExistsException(ErrorCode code, String message) {
    super(code, message);
  }
}
