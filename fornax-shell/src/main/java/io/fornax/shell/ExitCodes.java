package io.fornax.shell;

import io.fornax.api.proto.ErrorCode;

/** The exit codes of every {@code fornax} command, for scripts. */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;
  /** The cluster refused or failed the request (not found, conflict, invalid, quota...). */
  public static final int FAILED = 1;
  /** A usage error: bad arguments, an invalid manifest, an unreadable config. */
  public static final int USAGE = 2;
  /** No replica answered in time, or the group has no leader. */
  public static final int UNAVAILABLE = 3;
  /** The token was refused, or it may not do this. */
  public static final int UNAUTHORIZED = 4;
  /** Cancelled with Ctrl-C. */
  public static final int CANCELLED = 130;

  private ExitCodes() {}

  /** The exit code for an error the cluster answered with. */
  public static int of(ErrorCode code) {
    return switch (code) {
      case UNAVAILABLE, NOT_LEADER, TIMEOUT -> UNAVAILABLE;
      case UNAUTHENTICATED, PERMISSION_DENIED -> UNAUTHORIZED;
      default -> FAILED;
    };
  }
}
