package io.fornax.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.ErrorCode;
import org.junit.jupiter.api.function.Executable;

/** Asserts that a validation fails the way users see it: INVALID_ARGUMENT and a message. */
final class Rejections {
  /** The rule text every bad name message ends with. */
  static final String NAME_RULE = "is not a valid name: must be lowercase letters, digits and '-',"
      + " start and end with a letter or digit, at most 63 characters";

  private Rejections() {}

  static String messageOf(Executable call) {
    FornaxException e = assertThrows(FornaxException.class, call);
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e::getMessage);
    return e.getMessage();
  }
}
