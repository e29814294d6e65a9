package io.fornax.core.ratis;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandBatch;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Group commit: commands that arrive while earlier Raft entries are still in flight wait and
 * then go together as one {@link CommandBatch} entry, each keeping its own result. At low load a
 * command goes out alone at once; under load batches grow, so throughput is not bound by one
 * Raft round per request.
 *
 * <p>Callers are completed on the thread that completes the entry, before the entry gives up its
 * in-flight place: a callback may submit its next command (it is queued and leaves with the
 * others) but must not block waiting for it.
 */
public final class GroupCommitter {
  private final Function<Command, CompletableFuture<CommandResult>> proposer;
  private final int maxInFlight;
  private final int maxBatch;
  private final int maxBatchBytes;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private long queuedBytes;
  private int inFlight;
  /** Commands in the entries in flight. */
  private int commandsInFlight;

  /**
   * @param proposer proposes one command (a batch or a single one) as one Raft entry
   * @param maxInFlight Raft entries outstanding at once before commands start to queue
   * @param maxBatch most commands in one entry; 1 disables batching (and the in-flight bound)
   * @param maxBatchBytes most serialized bytes in one entry
   */
  public GroupCommitter(Function<Command, CompletableFuture<CommandResult>> proposer,
      int maxInFlight, int maxBatch, int maxBatchBytes) {
    if (maxInFlight < 1 || maxBatch < 1 || maxBatchBytes < 1) {
      throw new IllegalArgumentException("group commit limits must be >= 1");
    }
    this.proposer = proposer;
    this.maxInFlight = maxBatch == 1 ? Integer.MAX_VALUE : maxInFlight;
    this.maxBatch = maxBatch;
    this.maxBatchBytes = maxBatchBytes;
  }

  public CompletableFuture<CommandResult> submit(Command command) {
    Pending p = new Pending(command, command.getSerializedSize());
    synchronized (this) {
      queue.addLast(p);
      queuedBytes += p.bytes;
    }
    drain();
    return p.future;
  }

  /** Sends queued commands while {@link #worthSending()} says so. */
  private void drain() {
    while (true) {
      List<Pending> batch;
      synchronized (this) {
        if (!worthSending()) {
          return;
        }
        batch = takeBatch();
        inFlight++;
        commandsInFlight += batch.size();
      }
      send(batch);
    }
  }

  /**
   * With nothing in flight the queue leaves at once. With entries in flight it leaves only as a
   * full batch or once it holds as many commands as they do together: a few commands sent next to
   * a big entry cost a whole Raft round for little, and closed-loop callers (each submitting again
   * as its result arrives) would settle into one big entry plus a stream of lone commands. So the
   * commands in flight at most double with each entry, and held-back commands wait no longer than
   * the entries in flight.
   */
  private boolean worthSending() {
    if (queue.isEmpty() || inFlight >= maxInFlight) {
      return false;
    }
    return inFlight == 0 || queue.size() >= maxBatch || queuedBytes >= maxBatchBytes
        || queue.size() >= commandsInFlight;
  }

  private List<Pending> takeBatch() {
    List<Pending> batch = new ArrayList<>();
    long bytes = 0;
    while (!queue.isEmpty() && batch.size() < maxBatch) {
      Pending next = queue.peekFirst();
      if (!batch.isEmpty() && bytes + next.bytes > maxBatchBytes) {
        break;
      }
      bytes += next.bytes;
      batch.add(queue.pollFirst());
    }
    queuedBytes -= bytes;
    return batch;
  }

  private void send(List<Pending> batch) {
    Command entry = batch.size() == 1
        ? batch.get(0).command
        : Command.newBuilder().setBatch(CommandBatch.newBuilder()
            .addAllCommands(batch.stream().map(p -> p.command).toList())).build();
    CompletableFuture<CommandResult> sent;
    try {
      sent = proposer.apply(entry);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((result, error) -> {
      // Still in flight while the callers run: what they submit now is queued and leaves as one
      // batch, rather than the first of them taking the freed place alone.
      complete(batch, result, error);
      synchronized (this) {
        inFlight--;
        commandsInFlight -= batch.size();
      }
      drain();
    });
  }

  private static void complete(List<Pending> batch, CommandResult result, Throwable error) {
    if (error != null) {
      batch.forEach(p -> p.future.completeExceptionally(error));
      return;
    }
    if (batch.size() == 1) {
      batch.get(0).future.complete(result);
      return;
    }
    List<CommandResult> results = result.getBatch().getResultsList();
    if (results.size() != batch.size()) {
      FornaxException e = new FornaxException(ErrorCode.INTERNAL, String.format(
          "batch of %d commands came back with %d results", batch.size(), results.size()));
      batch.forEach(p -> p.future.completeExceptionally(e));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).future.complete(results.get(i));
    }
  }

  private record Pending(Command command, int bytes, CompletableFuture<CommandResult> future) {
    Pending(Command command, int bytes) {
      this(command, bytes, new CompletableFuture<>());
    }
  }
}
