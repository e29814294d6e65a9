package io.fornax.agent.runtime;

import java.io.IOException;
import java.nio.file.Path;

/** Runs instances: OS processes ({@link ProcessRuntime}) or an OCI runtime binary. */
public interface InstanceRuntime {
  RunningInstance start(InstanceSpec spec) throws IOException;

  String name();

  /**
   * Takes over instance {@code id} that a previous agent run started as {@code pid} (which
   * started at {@code startTime}), after an agent restart; cleans up whatever of it cannot be
   * taken over. Runtimes that cannot re-adopt say so.
   */
  default Adoption adopt(String id, long pid, long startTime, Path dir, boolean frozen) {
    return Adoption.gone("the " + name() + " runtime does not re-adopt instances after an agent restart");
  }

  /**
   * Removes what this runtime left for instance folder {@code dir} beyond its processes (which
   * the agent kills from the folder's pid file), for folders a restarted agent does not
   * re-adopt: containers, relays.
   */
  default void cleanUp(Path dir) {}
}
