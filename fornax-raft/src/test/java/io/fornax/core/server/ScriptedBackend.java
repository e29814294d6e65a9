package io.fornax.core.server;

import io.fornax.api.proto.ClusterStatus;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.core.state.EventLog;
import io.fornax.core.state.ResourceState;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** Delegates to a real backend, except for the writes and barriers a test scripts. */
final class ScriptedBackend implements CoreBackend {
  private final CoreBackend real;
  volatile Function<Command, CompletableFuture<CommandResult>> submit;
  volatile Supplier<CompletableFuture<Void>> readBarrier;
  /** The real backend's clock unless a test needs time to pass (the in-memory one is fixed). */
  volatile Clock clock;

  ScriptedBackend(CoreBackend real) {
    this.real = real;
    this.submit = real::submit;
    this.readBarrier = real::readBarrier;
    this.clock = real.clock();
  }

  @Override
  public CompletableFuture<CommandResult> submit(Command command) {
    return submit.apply(command);
  }

  @Override
  public CompletableFuture<Void> readBarrier() {
    return readBarrier.get();
  }

  @Override
  public ResourceState state() {
    return real.state();
  }

  @Override
  public EventLog events() {
    return real.events();
  }

  @Override
  public ClusterStatus clusterStatus() {
    return real.clusterStatus();
  }

  @Override
  public Clock clock() {
    return clock;
  }
}
