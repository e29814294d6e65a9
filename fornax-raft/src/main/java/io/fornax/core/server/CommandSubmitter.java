package io.fornax.core.server;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import java.util.concurrent.CompletableFuture;

/**
 * Stamps what apply must not compute itself (the time and the caller) into a command and
 * proposes it. A business failure in the result becomes a {@link FornaxException}, so every
 * handler maps errors the same way.
 */
final class CommandSubmitter {
  private final CoreBackend backend;

  CommandSubmitter(CoreBackend backend) {
    this.backend = backend;
  }

  CompletableFuture<CommandResult> submit(Caller caller, Command.Builder command) {
    Command stamped = command.setNowMs(backend.clock().millis()).setCaller(caller).build();
    return backend.submit(stamped).thenApply(result -> {
      if (result.hasError() && result.getError().getCode() != ErrorCode.OK) {
        throw FornaxException.fromProto(result.getError());
      }
      return result;
    });
  }
}
