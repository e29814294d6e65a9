package io.fornax.client;

import io.fornax.api.FornaxException;
import io.fornax.api.Futures;
import io.fornax.api.proto.ErrorCode;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What every client call throws (and every future fails with): a {@link FornaxException} of one
 * typed subclass per error family, carrying the server's code and reason unchanged. Catch the
 * subclass you can act on, e.g. {@link NotFoundException} or {@link ConflictException}.
 */
public abstract class FornaxClientException extends FornaxException {
  private static final long serialVersionUID = 1L;

  protected FornaxClientException(ErrorCode code, String message) {
    super(code, message);
  }

  /** The typed exception for {@code code}. */
  public static FornaxClientException of(ErrorCode code, String message) {
    return switch (code) {
      case NOT_FOUND -> new NotFoundException(code, message);
      case ALREADY_EXISTS -> new AlreadyExistsException(code, message);
      case CONFLICT -> new ConflictException(code, message);
      case UNAUTHENTICATED, PERMISSION_DENIED -> new UnauthorizedException(code, message);
      case INVALID_ARGUMENT -> new InvalidArgumentException(code, message);
      case NOT_LEADER, UNAVAILABLE, TIMEOUT -> new UnavailableException(code, message);
      case COMPACTED -> new CompactedException(code, message);
      case RESOURCE_EXHAUSTED -> new ResourceExhaustedException(code, message);
      case FAILED_PRECONDITION, FENCED -> new FailedPreconditionException(code, message);
      case OK, INTERNAL, UNRECOGNIZED -> new InternalException(code, message);
    };
  }

  /**
   * The typed exception behind {@code t}: unwraps {@link CompletionException} and {@link
   * ExecutionException}, maps a plain {@link FornaxException}, and turns anything else into an
   * {@link InternalException} naming it.
   */
  public static FornaxClientException from(Throwable t) {
    Throwable cause = Futures.cause(t);
    if (cause instanceof FornaxClientException typed) {
      return typed;
    }
    if (cause instanceof FornaxException fe) {
      FornaxClientException typed = of(fe.code(), fe.getMessage());
      typed.initCause(fe);
      return typed;
    }
    FornaxClientException wrapped = new InternalException(ErrorCode.INTERNAL,
        "client failure: " + cause);
    wrapped.initCause(cause);
    return wrapped;
  }
}
