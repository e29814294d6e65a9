package io.fornax.agent.runtime;

import java.io.IOException;

/** Runs instances: OS processes ({@link ProcessRuntime}) or an OCI runtime binary. */
public interface InstanceRuntime {
  RunningInstance start(InstanceSpec spec) throws IOException;

  String name();
}
