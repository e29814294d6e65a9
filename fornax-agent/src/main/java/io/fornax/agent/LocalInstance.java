package io.fornax.agent;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fornax.agent.adoption.InstanceRecord;
import io.fornax.agent.runtime.RunningInstance;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the agent knows about one instance it runs. */
final class LocalInstance {
  final Instance instance;
  final ApplicationSpec spec;
  /** "process" or "oci". */
  final String runtime;
  final RunningInstance running;
  /** Port name → local port the process listens on, in declaration order. */
  final Map<String, Integer> ports;
  final String token;
  volatile InstanceState reported = InstanceState.INSTANCE_CREATING;
  volatile boolean ready;
  /** Became ready by speaking the session protocol (not by its port accepting). */
  volatile boolean protocol;
  volatile boolean terminating;
  /** Sessions open on this instance: session name → ingress port. */
  final Map<String, Integer> sessions = new ConcurrentHashMap<>();

  LocalInstance(Instance instance, ApplicationSpec spec, String runtime, RunningInstance running,
      Map<String, Integer> ports, String token) {
    this.instance = instance;
    this.spec = spec;
    this.runtime = runtime;
    this.running = running;
    this.ports = ports;
    this.token = token;
  }

  /** The instance a previous agent run recorded, now running as {@code running}. */
  static LocalInstance adopted(InstanceRecord r, RunningInstance running) throws IOException {
    LocalInstance li;
    try {
      li = new LocalInstance(Instance.parseFrom(Base64.getDecoder().decode(r.instance())),
          ApplicationSpec.parseFrom(Base64.getDecoder().decode(r.spec())), r.runtime(), running,
          new LinkedHashMap<>(r.ports()), r.token());
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw new IOException("corrupt instance or spec in the record: " + e.getMessage(), e);
    }
    li.ready = r.ready();
    li.protocol = r.protocol();
    li.sessions.putAll(r.sessions());
    li.reported = !r.ready() ? InstanceState.INSTANCE_CREATING
        : r.frozen() ? InstanceState.INSTANCE_STANDBY : InstanceState.INSTANCE_READY;
    return li;
  }

  InstanceRecord record() {
    return new InstanceRecord(instance.getMeta().getTenant(), instance.getMeta().getName(), runtime,
        running.pid(), running.startTime(), token, ports, Map.copyOf(sessions), ready, protocol,
        running.frozen(), Base64.getEncoder().encodeToString(instance.toByteArray()),
        Base64.getEncoder().encodeToString(spec.toByteArray()));
  }

  String key() {
    return instance.getMeta().getTenant() + "/" + instance.getMeta().getName();
  }

  /** The port sessions are forwarded to: the first declared one, or 0 if it declares none. */
  int firstPort() {
    return ports.isEmpty() ? 0 : ports.values().iterator().next();
  }
}
