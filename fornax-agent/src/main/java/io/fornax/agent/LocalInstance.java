package io.fornax.agent;

import io.fornax.agent.runtime.RunningInstance;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the agent knows about one instance it runs. */
final class LocalInstance {
  final Instance instance;
  final RunningInstance running;
  /** Port name → local port the process listens on. */
  final Map<String, Integer> ports;
  final String token;
  volatile InstanceState reported = InstanceState.INSTANCE_CREATING;
  volatile boolean ready;
  volatile boolean terminating;
  /** Sessions open on this instance: session name → ingress port. */
  final Map<String, Integer> sessions = new ConcurrentHashMap<>();

  LocalInstance(Instance instance, RunningInstance running, Map<String, Integer> ports, String token) {
    this.instance = instance;
    this.running = running;
    this.ports = ports;
    this.token = token;
  }

  String key() {
    return instance.getMeta().getTenant() + "/" + instance.getMeta().getName();
  }
}
