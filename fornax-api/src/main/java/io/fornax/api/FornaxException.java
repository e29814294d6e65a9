package io.fornax.api;

import io.fornax.api.proto.Error;
import io.fornax.api.proto.ErrorCode;

/**
 * The one error type of Fornax: an {@link ErrorCode} shared over the wire plus a message meant for
 * the user. Server and client both throw it; the client maps codes to typed subclasses.
 */
public class FornaxException extends RuntimeException {
  private final ErrorCode code;

  public FornaxException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public FornaxException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public Error toProto() {
    return Error.newBuilder().setCode(code).setMessage(String.valueOf(getMessage())).build();
  }

  public static FornaxException fromProto(Error error) {
    return new FornaxException(error.getCode(), error.getMessage());
  }

  public static FornaxException invalid(String format, Object... args) {
    return new FornaxException(ErrorCode.INVALID_ARGUMENT, String.format(format, args));
  }

  public static FornaxException notFound(String format, Object... args) {
    return new FornaxException(ErrorCode.NOT_FOUND, String.format(format, args));
  }

  public static FornaxException conflict(String format, Object... args) {
    return new FornaxException(ErrorCode.CONFLICT, String.format(format, args));
  }

  @Override
  public String toString() {
    return code + ": " + getMessage();
  }
}
