package io.fornax.shell;

/** A mistake on the caller's side found before talking to the cluster: exit code 2. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
