package io.fornax.shell.output;

import java.io.PrintWriter;

/**
 * A spinner on stderr while something slow runs, only when stderr is a terminal (so logs and
 * pipes stay clean). Close it to clear the line.
 */
public final class Progress implements AutoCloseable {
  private static final String FRAMES = "|/-\\";

  private final PrintWriter err;
  private final Thread thread;

  private Progress(PrintWriter err, String what) {
    this.err = err;
    if (what == null) {
      this.thread = null;
      return;
    }
    this.thread = new Thread(() -> spin(what), "fornax-progress");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts a spinner saying {@code what}, or one that shows nothing when not a terminal. */
  public static Progress start(PrintWriter err, boolean terminal, String what) {
    return new Progress(err, terminal ? what : null);
  }

  private void spin(String what) {
    int i = 0;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        err.print("\r" + FRAMES.charAt(i++ % FRAMES.length()) + " " + what);
        err.flush();
        Thread.sleep(120); // the spinner's frame rate, not a wait for a condition
      }
    } catch (InterruptedException done) {
      // closed
    }
  }

  @Override
  public void close() {
    if (thread == null) {
      return;
    }
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    err.print("\r\033[K");
    err.flush();
  }
}
