package io.fornax.api;

import java.util.concurrent.ThreadFactory;

/** Thread factories for background work that must never keep a process alive. */
public final class Threads {
  private Threads() {}

  public static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
