package io.fornax.core.command;

import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;

/** Instance state rules shared by the commands that move instances. */
final class Instances {
  private Instances() {}

  static boolean isFinished(Instance i) {
    InstanceState st = i.getState();
    return st == InstanceState.INSTANCE_TERMINATING || st == InstanceState.INSTANCE_TERMINATED
        || st == InstanceState.INSTANCE_FAILED;
  }
}
