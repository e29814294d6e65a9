package io.fornax.client;

import io.fornax.api.proto.ErrorCode;

/** A quota or a capacity limit refused the call (RESOURCE_EXHAUSTED). */
public final class ResourceExhaustedException extends FornaxClientException {
  private static final long serialVersionUID = 1L;

  public ResourceExhaustedException(ErrorCode code, String message) {
    super(code, message);
  }
}
