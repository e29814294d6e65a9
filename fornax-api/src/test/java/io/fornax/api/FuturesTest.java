package io.fornax.api;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FuturesTest {
  @Test
  void theCauseIsFoundUnderAnyWrapping() {
    IllegalStateException root = new IllegalStateException("root");
    assertSame(root, Futures.cause(root));
    assertSame(root, Futures.cause(new CompletionException(root)));
    assertSame(root, Futures.cause(new ExecutionException(new CompletionException(root))));
    CompletionException empty = new CompletionException("no cause", null);
    assertSame(empty, Futures.cause(empty), "a wrapper without a cause is the failure itself");
  }
}
