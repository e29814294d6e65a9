package io.fornax.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Helpers for what asynchronous calls fail with. */
public final class Futures {
  private Futures() {}

  /** The failure behind {@code t}: unwraps {@link CompletionException} and {@link ExecutionException}. */
  public static Throwable cause(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
