package io.fornax.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What must hold between what clients saw and what the cluster holds afterwards. */
final class Invariants {
  static final Set<InstanceState> LIVE = EnumSet.of(InstanceState.INSTANCE_PENDING,
      InstanceState.INSTANCE_CREATING, InstanceState.INSTANCE_STANDBY, InstanceState.INSTANCE_READY,
      InstanceState.INSTANCE_ALLOCATED);

  private Invariants() {}

  /**
   * No idempotency key opened two sessions; every open a client saw succeed exists, CLOSED if its
   * close returned, else AVAILABLE or IN_USE.
   */
  static void sessionsMatchWhatClientsSaw(List<Session> sessions, SessionLoad load) {
    Map<String, List<Session>> byKey = sessions.stream()
        .collect(Collectors.groupingBy(s -> s.getSpec().getIdempotencyKey()));
    byKey.forEach((key, same) -> assertTrue(key.isEmpty() || same.size() == 1,
        () -> "idempotency key " + key + " opened " + same.size() + " sessions: " + names(same)));
    load.opened.forEach((key, name) -> {
      List<Session> found = byKey.getOrDefault(key, List.of());
      assertEquals(1, found.size(), () -> "open " + key + " returned " + name + " but the cluster has "
          + names(found));
      Session s = found.get(0);
      assertEquals(name, s.getMeta().getName(), () -> "open " + key + " returned another session");
      SessionState st = s.getStatus().getState();
      if (load.closed.contains(name)) {
        assertEquals(SessionState.SESSION_CLOSED, st, () -> name + " was closed: " + s.getStatus());
      } else if (load.failed.containsKey(name)) { // its close failed: it may or may not have run
        assertTrue(st != SessionState.SESSION_LOST && st != SessionState.SESSION_TIMEOUT,
            () -> name + " was opened, its close failed, and it is " + s.getStatus());
      } else {
        assertTrue(st == SessionState.SESSION_AVAILABLE || st == SessionState.SESSION_IN_USE,
            () -> name + " was opened and not closed, yet is " + s.getStatus());
      }
    });
  }

  /**
   * Each session sits on at most one live instance, the one its status names; no application
   * has more live instances than its maxInstances.
   */
  static void instancesConsistent(List<Instance> instances, List<Session> sessions,
      Map<String, Integer> maxInstancesByApp) {
    Map<String, String> sessionInstance = new HashMap<>();
    for (Instance i : instances) {
      if (!LIVE.contains(i.getState())) {
        continue;
      }
      for (String s : i.getSessionsList()) {
        String before = sessionInstance.put(s, i.getMeta().getName());
        assertTrue(before == null, () -> "session " + s + " is on two instances: " + before + " and "
            + i.getMeta().getName());
      }
    }
    for (Session s : sessions) {
      String on = sessionInstance.get(s.getMeta().getName());
      if (on != null) {
        assertEquals(s.getStatus().getInstance(), on, () -> s.getMeta().getName()
            + " is listed by instance " + on + " but names " + s.getStatus().getInstance());
      }
    }
    Map<String, Long> live = instances.stream().filter(i -> LIVE.contains(i.getState()))
        .collect(Collectors.groupingBy(Instance::getApplication, Collectors.counting()));
    live.forEach((app, n) -> assertTrue(n <= maxInstancesByApp.getOrDefault(app, Integer.MAX_VALUE),
        () -> app + " has " + n + " live instances, more than maxInstances "
            + maxInstancesByApp.get(app)));
  }

  static List<String> names(List<Session> sessions) {
    return sessions.stream().map(s -> s.getMeta().getName() + "=" + s.getStatus().getState()).toList();
  }
}
