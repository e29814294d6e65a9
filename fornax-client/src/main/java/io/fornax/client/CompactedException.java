package io.fornax.client;

import io.fornax.api.proto.ErrorCode;

/** A watch asked for a revision older than the replica's event window (COMPACTED): re-list. */
public final class CompactedException extends FornaxClientException {
  private static final long serialVersionUID = 1L;

  public CompactedException(ErrorCode code, String message) {
    super(code, message);
  }
}
