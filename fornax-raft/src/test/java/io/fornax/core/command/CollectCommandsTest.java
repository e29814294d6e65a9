package io.fornax.core.command;

import static io.fornax.core.command.TestCommands.ADMIN;
import static io.fornax.core.command.TestCommands.closeSession;
import static io.fornax.core.command.TestCommands.createApp;
import static io.fornax.core.command.TestCommands.createTenant;
import static io.fornax.core.command.TestCommands.openSession;
import static io.fornax.core.command.TestCommands.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fornax.api.proto.CollectCmd;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.ResourceRef;
import io.fornax.api.proto.Session;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.StateDigest;
import io.fornax.core.state.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CollectCommandsTest {
  private AppliedLog log;
  private ResourceState state;

  @BeforeEach
  void setUp() {
    log = new AppliedLog();
    state = log.state;
    apply(createTenant("acme", 1));
    apply(createApp(tenant("acme"), "acme", "web", 1));
  }

  private CommandResult apply(Command c) {
    return log.apply(c);
  }

  private static Command collect(String... sessions) {
    CollectCmd.Builder b = CollectCmd.newBuilder();
    for (String s : sessions) {
      b.addSessions(ResourceRef.newBuilder().setTenant("acme").setName(s));
    }
    return Command.newBuilder().setCaller(ADMIN).setCollect(b).build();
  }

  @Test
  void removesAFinishedSessionAndForgetsItsIdempotencyKey() {
    apply(openSession(tenant("acme"), "acme", "web", "s1", "k1", 2));
    apply(closeSession(tenant("acme"), "acme", "s1", 3));
    assertEquals(ErrorCode.OK, apply(collect("s1")).getError().getCode());
    assertNull(state.get(Table.SESSIONS, "acme/s1"));
    // The key is free again: the same key opens a new session.
    Session again = apply(openSession(tenant("acme"), "acme", "web", "s2", "k1", 4))
        .getResource().getSession();
    assertEquals("s2", again.getMeta().getName());
  }

  @Test
  void leavesAnOpenSessionAndUnknownNamesAlone() {
    apply(openSession(tenant("acme"), "acme", "web", "open", "", 2));
    String before = StateDigest.of(state);
    assertEquals(ErrorCode.OK, apply(collect("open", "ghost")).getError().getCode());
    assertEquals(before, StateDigest.of(state));
  }

  @Test
  void onlyTheLeaderMayCollect() {
    apply(openSession(tenant("acme"), "acme", "web", "s1", "", 2));
    apply(closeSession(tenant("acme"), "acme", "s1", 3));
    CommandResult r = apply(collect("s1").toBuilder().setCaller(tenant("acme")).build());
    assertNotEquals(ErrorCode.OK, r.getError().getCode());
  }
}
