package io.fornax.core.command;

import static io.fornax.core.command.TestCommands.ADMIN;
import static io.fornax.core.command.TestCommands.batch;
import static io.fornax.core.command.TestCommands.closeSession;
import static io.fornax.core.command.TestCommands.createApp;
import static io.fornax.core.command.TestCommands.createTenant;
import static io.fornax.core.command.TestCommands.deleteApp;
import static io.fornax.core.command.TestCommands.openSession;
import static io.fornax.core.command.TestCommands.tenant;
import static io.fornax.core.command.TestCommands.updateApp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionState;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.StateDigest;
import io.fornax.core.state.Table;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandApplierTest {
  private AppliedLog log;
  private ResourceState state;

  @BeforeEach
  void setUp() {
    log = new AppliedLog();
    state = log.state;
  }

  private CommandResult apply(Command c) {
    return log.apply(c);
  }

  private CommandResult applyInTerm(Command c, long term) {
    return log.apply(c, term);
  }

  @Test
  void createsTenantAndApplicationStampedWithRevisionAndTime() {
    apply(createTenant("acme", 1000));
    CommandResult r = apply(createApp(tenant("acme"), "acme", "web", 2000));
    assertEquals(ErrorCode.OK, r.getError().getCode());
    Application app = state.get(Table.APPLICATIONS, "acme/web");
    assertEquals(2, app.getMeta().getRevision());
    assertEquals(2, app.getMeta().getCreateRevision());
    assertEquals(2000, app.getMeta().getCreatedAtMs());
  }

  @Test
  void aTenantCommandCarryingARotatedTokenIsRefusedAndChangesNothing() {
    apply(createTenant("acme", 1)); // the tenant's token hash is "hash-acme"
    var current = tenant("acme").toBuilder().setTokenHash("hash-acme").build();
    var rotatedAway = tenant("acme").toBuilder().setTokenHash("hash-of-the-old-token").build();
    assertEquals(ErrorCode.OK, apply(createApp(current, "acme", "web", 2)).getError().getCode());
    String before = StateDigest.of(state);
    CommandResult r = apply(createApp(rotatedAway, "acme", "api", 3));
    assertEquals(ErrorCode.UNAUTHENTICATED, r.getError().getCode());
    assertTrue(r.getError().getMessage().contains("rotated"), r.getError().getMessage());
    assertEquals(before, StateDigest.of(state));
    assertEquals(ErrorCode.OK, apply(createApp(tenant("acme"), "acme", "api", 4)).getError()
        .getCode(), "a command without a hash (the leader's, older logs) is not checked");
  }

  @Test
  void applicationInUnknownTenantIsNotFoundAndChangesNothing() {
    String before = StateDigest.of(state);
    CommandResult r = apply(createApp(ADMIN, "ghost", "web", 1));
    assertEquals(ErrorCode.NOT_FOUND, r.getError().getCode());
    assertTrue(r.getError().getMessage().contains("tenant \"ghost\""), r.getError().getMessage());
    assertEquals(before, StateDigest.of(state));
  }

  @Test
  void tenantCannotTouchAnotherTenant() {
    apply(createTenant("a", 1));
    apply(createTenant("b", 1));
    apply(createApp(tenant("b"), "b", "web", 1));
    String before = StateDigest.of(state);
    assertEquals(ErrorCode.PERMISSION_DENIED,
        apply(deleteApp(tenant("a"), "b", "web", 2)).getError().getCode());
    assertEquals(ErrorCode.PERMISSION_DENIED,
        apply(createApp(tenant("a"), "b", "evil", 2)).getError().getCode());
    assertEquals(ErrorCode.PERMISSION_DENIED, apply(createTenant("c", 1).toBuilder()
        .setCaller(tenant("a")).build()).getError().getCode());
    assertEquals(before, StateDigest.of(state));
  }

  @Test
  void staleRevisionIsAConflict() {
    apply(createTenant("acme", 1));
    long rev = apply(createApp(tenant("acme"), "acme", "web", 1)).getResource().getApplication()
        .getMeta().getRevision();
    assertEquals(ErrorCode.OK, apply(updateApp(tenant("acme"), "acme", "web", 5, rev, 2))
        .getError().getCode());
    CommandResult stale = apply(updateApp(tenant("acme"), "acme", "web", 7, rev, 3));
    assertEquals(ErrorCode.CONFLICT, stale.getError().getCode());
    assertTrue(stale.getError().getMessage().contains("expected revision " + rev));
    Application app = state.get(Table.APPLICATIONS, "acme/web");
    assertEquals(5, app.getSpec().getScaling().getMaxInstances());
    assertEquals(1, app.getMeta().getCreatedAtMs(), "update keeps creation time");
  }

  @Test
  void duplicateCreateIsAlreadyExists() {
    apply(createTenant("acme", 1));
    assertEquals(ErrorCode.ALREADY_EXISTS, apply(createTenant("acme", 2)).getError().getCode());
  }

  @Test
  void sessionOpensPendingAndIdempotencyKeyReturnsTheFirst() {
    apply(createTenant("acme", 1));
    apply(createApp(tenant("acme"), "acme", "web", 1));
    Session first = apply(openSession(tenant("acme"), "acme", "web", "s-1", "k1", 5))
        .getResource().getSession();
    assertEquals(SessionState.SESSION_PENDING, first.getStatus().getState());
    assertEquals(5, first.getStatus().getOpenedAtMs());
    long applied = state.appliedIndex();
    Session retry = apply(openSession(tenant("acme"), "acme", "web", "s-2", "k1", 6))
        .getResource().getSession();
    assertEquals("s-1", retry.getMeta().getName());
    assertEquals(1, state.list(Table.SESSIONS, "acme/").size());
    assertEquals(applied + 1, state.appliedIndex());
  }

  @Test
  void closingAnUnboundSessionClosesItAndClosingAgainChangesNothing() {
    apply(createTenant("acme", 1));
    apply(createApp(tenant("acme"), "acme", "web", 1));
    apply(openSession(tenant("acme"), "acme", "web", "s-1", "", 5));
    Session closed = apply(closeSession(tenant("acme"), "acme", "s-1", 9)).getResource().getSession();
    assertEquals(SessionState.SESSION_CLOSED, closed.getStatus().getState());
    assertEquals(9, closed.getStatus().getClosedAtMs());
    String before = StateDigest.of(state);
    apply(closeSession(tenant("acme"), "acme", "s-1", 10));
    assertEquals(before, StateDigest.of(state));
  }

  @Test
  void deletingAnApplicationClosesItsSessions() {
    apply(createTenant("acme", 1));
    apply(createApp(tenant("acme"), "acme", "web", 1));
    apply(openSession(tenant("acme"), "acme", "web", "s-1", "", 5));
    apply(deleteApp(tenant("acme"), "acme", "web", 6));
    Session s = state.get(Table.SESSIONS, "acme/s-1");
    assertEquals(SessionState.SESSION_CLOSED, s.getStatus().getState());
    assertEquals("application deleted", s.getStatus().getReason());
    assertTrue(state.list(Table.APPLICATIONS, "").isEmpty());
  }

  @Test
  void tenantWithApplicationsCannotBeDeleted() {
    apply(createTenant("acme", 1));
    apply(createApp(tenant("acme"), "acme", "web", 1));
    Command delete = Command.newBuilder().setCaller(ADMIN).setDeleteTenant(
        io.fornax.api.proto.DeleteTenantCmd.newBuilder().setName("acme")).build();
    assertEquals(ErrorCode.FAILED_PRECONDITION, apply(delete).getError().getCode());
  }

  @Test
  void batchKeepsEachResultAndDropsOnlyFailedCommands() {
    CommandResult r = apply(batch(List.of(
        createTenant("acme", 1),
        createTenant("acme", 1),
        createApp(tenant("acme"), "acme", "web", 1),
        createApp(tenant("acme"), "nope", "web", 1))));
    List<CommandResult> results = r.getBatch().getResultsList();
    assertEquals(4, results.size());
    assertEquals(ErrorCode.OK, results.get(0).getError().getCode());
    assertEquals(ErrorCode.ALREADY_EXISTS, results.get(1).getError().getCode());
    assertEquals(ErrorCode.OK, results.get(2).getError().getCode(), "sees the tenant made earlier");
    assertEquals(ErrorCode.PERMISSION_DENIED, results.get(3).getError().getCode());
    assertTrue(state.<io.fornax.api.proto.Tenant>get(Table.TENANTS, "acme") != null);
    assertEquals(1, state.list(Table.APPLICATIONS, "").size());
  }

  @Test
  void fencedCommandOfAnOldTermIsRejected() {
    Command fenced = createTenant("acme", 1).toBuilder().setFenceTerm(3).build();
    assertEquals(ErrorCode.FENCED, applyInTerm(fenced, 4).getError().getCode());
    assertFalse(state.list(Table.TENANTS, "").size() > 0);
    assertEquals(ErrorCode.OK, applyInTerm(fenced, 3).getError().getCode());
  }
}
