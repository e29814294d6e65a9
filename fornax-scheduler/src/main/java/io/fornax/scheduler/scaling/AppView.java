package io.fornax.scheduler.scaling;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * One application during a scheduling step: its live instances with how many sessions each
 * holds, updated as the step binds sessions, creates and terminates instances.
 */
public final class AppView {
  final Application app;
  final Map<String, Slot> slots = new LinkedHashMap<>();
  final List<Session> pending = new ArrayList<>();
  /** Bound, but the instance has not reported the session available yet. */
  final List<Session> starting = new ArrayList<>();
  // Kept up to date by the mutators below: a step asks for them in loops over the instances.
  private int total;
  private int idle;

  /** An instance and its session count. */
  static final class Slot {
    final String name;
    InstanceState state;
    final long createRevision;
    final long idleSinceMs;
    int sessions;
    boolean terminating;
    final boolean isNew;

    Slot(String name, InstanceState state, long createRevision, long idleSinceMs, boolean isNew) {
      this.name = name;
      this.state = state;
      this.createRevision = createRevision;
      this.idleSinceMs = idleSinceMs;
      this.isNew = isNew;
    }

    boolean starting() {
      return state == InstanceState.INSTANCE_PENDING || state == InstanceState.INSTANCE_CREATING;
    }
  }

  /** {@code settledOn}: sessions on an instance (by name) counted, not in {@code sessions}. */
  AppView(Application app, List<Instance> instances, List<Session> sessions,
      ToIntFunction<String> settledOn) {
    this.app = app;
    for (Instance i : instances) {
      Slot slot = new Slot(i.getMeta().getName(), i.getState(),
          i.getMeta().getCreateRevision(), i.getIdleSinceMs(), false);
      slot.sessions = settledOn.applyAsInt(slot.name);
      slots.put(slot.name, slot);
    }
    for (Session s : sessions) {
      SessionState st = s.getStatus().getState();
      if (st == SessionState.SESSION_PENDING) {
        pending.add(s);
      } else {
        if (st == SessionState.SESSION_STARTING) {
          starting.add(s);
        }
        Slot slot = slots.get(s.getStatus().getInstance());
        if (slot != null) {
          slot.sessions++;
        }
      }
    }
    pending.sort(Comparator.comparingLong((Session s) -> s.getStatus().getOpenedAtMs())
        .thenComparing(s -> s.getMeta().getName()));
    slots.values().forEach(s -> count(s, 1));
  }

  /** A slot for an instance this step creates. */
  void add(Slot s) {
    slots.put(s.name, s);
    count(s, 1);
  }

  /** One more ({@code +1}) or one fewer ({@code -1}) session on {@code s}. */
  void sessions(Slot s, int delta) {
    count(s, -1);
    s.sessions += delta;
    count(s, 1);
  }

  void terminate(Slot s) {
    count(s, -1);
    s.terminating = true;
  }

  private void count(Slot s, int delta) {
    if (!s.terminating) {
      total += delta;
      if (s.sessions == 0) {
        idle += delta;
      }
    }
  }

  int perInstance() {
    return app.getSpec().getSession().getSessionsPerInstance();
  }

  List<Slot> live() {
    return slots.values().stream().filter(s -> !s.terminating).toList();
  }

  /** Instances not being terminated. */
  int total() {
    return total;
  }

  /** Instances not being terminated and without a session. */
  int idleCount() {
    return idle;
  }

  List<Slot> idle() {
    return slots.values().stream().filter(s -> !s.terminating && s.sessions == 0).toList();
  }

  Map<String, Integer> counts() {
    Map<String, Integer> c = new HashMap<>();
    for (Slot s : slots.values()) {
      String k = s.terminating ? "terminating" : s.starting() ? "pending"
          : s.sessions > 0 ? "allocated" : "idle";
      c.merge(k, 1, Integer::sum);
    }
    return c;
  }
}
