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
    return submit(stamp(caller, command));
  }

  /** {@code command} with the time and the caller, as proposed. */
  Command stamp(Caller caller, Command.Builder command) {
    return command.setNowMs(backend.clock().millis()).setCaller(caller).build();
  }

  CompletableFuture<CommandResult> submit(Command stamped) {
    return checked(backend.submit(stamped));
  }

  /**
   * {@code stamped}'s result: through {@code proposedElsewhere} if the leader's agent gateway
   * took it (a warm open or close in one commit), else proposed here.
   */
  CompletableFuture<CommandResult> submit(Command stamped,
      @io.fornax.api.Nullable CompletableFuture<CommandResult> proposedElsewhere) {
    return proposedElsewhere != null ? checked(proposedElsewhere) : submit(stamped);
  }

  /** A command's result, with an error result turned into a failure. */
  private static CompletableFuture<CommandResult> checked(CompletableFuture<CommandResult> submitted) {
    return submitted.thenApply(result -> {
      if (result.hasError() && result.getError().getCode() != ErrorCode.OK) {
        throw FornaxException.fromProto(result.getError());
      }
      return result;
    });
  }
}
