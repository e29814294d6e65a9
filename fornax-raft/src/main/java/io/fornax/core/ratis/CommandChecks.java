package io.fornax.core.ratis;

import io.fornax.api.proto.Command;

/** Structural checks a command must pass before it may enter the log. */
final class CommandChecks {
  private CommandChecks() {}

  static void check(Command c) {
    if (c.hasBatch()) {
      if (c.getBatch().getCommandsCount() == 0) {
        throw new IllegalArgumentException("empty batch");
      }
      for (Command inner : c.getBatch().getCommandsList()) {
        if (inner.hasBatch()) {
          throw new IllegalArgumentException("batches do not nest");
        }
        checkOne(inner);
      }
    } else {
      checkOne(c);
    }
  }

  private static void checkOne(Command c) {
    if (c.getBodyCase() == Command.BodyCase.BODY_NOT_SET) {
      throw new IllegalArgumentException("command has no body");
    }
    if (!c.hasCaller()) {
      throw new IllegalArgumentException("command has no caller");
    }
    if (c.getNowMs() <= 0) {
      throw new IllegalArgumentException("command has no timestamp");
    }
  }
}
