package io.fornax.core.store;

/** Storage failed: the replica cannot go on safely. Fatal, never a user error. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
