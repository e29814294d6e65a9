package io.fornax.api.validation;

import io.fornax.api.FornaxException;

/** The one way validators fail. */
final class Check {
  private Check() {}

  static void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw FornaxException.invalid(format, args);
    }
  }

  /** Echoes user input back without letting a huge value flood the message. */
  static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
