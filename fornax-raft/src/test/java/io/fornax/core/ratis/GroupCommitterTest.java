package io.fornax.core.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.BatchResult;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.Error;
import io.fornax.api.proto.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {
  /** Records proposed entries and lets the test complete them. */
  private final List<Command> proposed = new ArrayList<>();
  private final List<CompletableFuture<CommandResult>> outstanding = new ArrayList<>();

  private CompletableFuture<CommandResult> propose(Command c) {
    proposed.add(c);
    CompletableFuture<CommandResult> f = new CompletableFuture<>();
    outstanding.add(f);
    return f;
  }

  private static Command cmd(long n) {
    return Command.newBuilder().setNowMs(n).build();
  }

  /** Answers an entry the way the applier would: one result per command, numbered by now_ms. */
  private void completeEntry(int i) {
    Command entry = proposed.get(i);
    if (entry.hasBatch()) {
      BatchResult.Builder b = BatchResult.newBuilder();
      entry.getBatch().getCommandsList().forEach(c -> b.addResults(result(c)));
      outstanding.get(i).complete(CommandResult.newBuilder().setBatch(b).build());
    } else {
      outstanding.get(i).complete(result(entry));
    }
  }

  private static CommandResult result(Command c) {
    return CommandResult.newBuilder().setRevision(c.getNowMs()).build();
  }

  @Test
  void loneCommandGoesOutAtOnceUnbatched() {
    GroupCommitter gc = new GroupCommitter(this::propose, 1, 100, 1 << 20);
    CompletableFuture<CommandResult> f = gc.submit(cmd(7));
    assertEquals(1, proposed.size());
    assertFalse(proposed.get(0).hasBatch());
    completeEntry(0);
    assertEquals(7, f.join().getRevision());
  }

  @Test
  void commandsArrivingWhileBusyShareOneEntryAndKeepTheirOwnResults() {
    GroupCommitter gc = new GroupCommitter(this::propose, 1, 100, 1 << 20);
    List<CompletableFuture<CommandResult>> fs = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      fs.add(gc.submit(cmd(i)));
    }
    assertEquals(1, proposed.size(), "the rest wait for the first entry");
    completeEntry(0);
    assertEquals(2, proposed.size());
    assertEquals(9, proposed.get(1).getBatch().getCommandsCount());
    completeEntry(1);
    for (int i = 0; i < 10; i++) {
      assertEquals(i + 1, fs.get(i).join().getRevision());
    }
  }

  @Test
  void batchesRespectCountAndByteLimits() {
    GroupCommitter gc = new GroupCommitter(this::propose, 1, 3, 1 << 20);
    for (int i = 1; i <= 8; i++) {
      gc.submit(cmd(i));
    }
    completeEntry(0);
    assertEquals(3, proposed.get(1).getBatch().getCommandsCount());
    completeEntry(1);
    completeEntry(2);
    assertEquals(1, proposed.get(3).hasBatch() ? proposed.get(3).getBatch().getCommandsCount() : 1);
  }

  private int entrySize(int i) {
    Command entry = proposed.get(i);
    return entry.hasBatch() ? entry.getBatch().getCommandsCount() : 1;
  }

  @Test
  void whileEntriesAreInFlightANewOneWaitsUntilItIsAsBigAsThey() {
    GroupCommitter gc = new GroupCommitter(this::propose, 4, 100, 1 << 20);
    List<CompletableFuture<CommandResult>> fs = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      fs.add(gc.submit(cmd(i)));
    }
    assertEquals(List.of(1, 1, 2, 4), List.of(entrySize(0), entrySize(1), entrySize(2),
        entrySize(3)), "in-flight commands at most double with each entry");
    completeEntry(0);
    completeEntry(3);
    assertEquals(4, proposed.size(), "one command is not worth an entry next to three others");
    completeEntry(1);
    completeEntry(2);
    assertEquals(5, proposed.size(), "with nothing in flight the queue leaves at once");
    completeEntry(4);
    for (int i = 0; i < 9; i++) {
      assertEquals(i + 1, fs.get(i).join().getRevision());
    }
  }

  @Test
  void commandsSubmittedByCallbacksOfAnEntryLeaveTogether() {
    GroupCommitter gc = new GroupCommitter(this::propose, 1, 100, 1 << 20);
    gc.submit(cmd(1));
    for (int i = 2; i <= 5; i++) {
      long next = 100 + i;
      gc.submit(cmd(i)).thenRun(() -> gc.submit(cmd(next))); // a closed-loop caller
    }
    completeEntry(0);
    assertEquals(4, entrySize(1));
    completeEntry(1);
    assertEquals(3, proposed.size());
    assertEquals(4, entrySize(2), "the first resubmission does not leave alone");
  }

  @Test
  void disabledBatchingSendsEveryCommandAlone() {
    GroupCommitter gc = new GroupCommitter(this::propose, 1, 1, 1 << 20);
    for (int i = 1; i <= 5; i++) {
      gc.submit(cmd(i));
    }
    assertEquals(5, proposed.size());
    assertTrue(proposed.stream().noneMatch(Command::hasBatch));
  }

  @Test
  void aFailedEntryFailsEveryCommandInIt() {
    GroupCommitter gc = new GroupCommitter(this::propose, 1, 100, 1 << 20);
    CompletableFuture<CommandResult> first = gc.submit(cmd(1));
    CompletableFuture<CommandResult> a = gc.submit(cmd(2));
    CompletableFuture<CommandResult> b = gc.submit(cmd(3));
    completeEntry(0);
    outstanding.get(1).completeExceptionally(new IllegalStateException("no leader"));
    assertEquals(1, first.join().getRevision());
    assertTrue(a.isCompletedExceptionally());
    assertTrue(b.isCompletedExceptionally());
  }

  @Test
  void perCommandErrorsStayWithTheirCommand() {
    GroupCommitter gc = new GroupCommitter(this::propose, 1, 100, 1 << 20);
    gc.submit(cmd(1));
    CompletableFuture<CommandResult> a = gc.submit(cmd(2));
    CompletableFuture<CommandResult> b = gc.submit(cmd(3));
    completeEntry(0);
    outstanding.get(1).complete(CommandResult.newBuilder().setBatch(BatchResult.newBuilder()
        .addResults(CommandResult.newBuilder().setError(
            Error.newBuilder().setCode(ErrorCode.CONFLICT)))
        .addResults(CommandResult.newBuilder().setRevision(3))).build());
    assertEquals(ErrorCode.CONFLICT, a.join().getError().getCode());
    assertEquals(3, b.join().getRevision());
  }
}
