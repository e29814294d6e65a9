package io.fornax.core.command;

import static io.fornax.core.command.TestCommands.ADMIN;
import static io.fornax.core.command.TestCommands.closeSession;
import static io.fornax.core.command.TestCommands.createTenant;
import static io.fornax.core.command.TestCommands.openSession;
import static io.fornax.core.command.TestCommands.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.BindSession;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CreateApplicationCmd;
import io.fornax.api.proto.Endpoint;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeReportCmd;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PlaceInstance;
import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.PlanResult;
import io.fornax.api.proto.RegisterNodeCmd;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionReport;
import io.fornax.api.proto.SessionState;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.StateTxn;
import io.fornax.core.state.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Agent reports move only what is on the reporting node, along allowed transitions. */
class ReportCommandsTest {
  private final CommandApplier applier = new CommandApplier();
  private ResourceState state;
  private long index;

  private io.fornax.api.proto.CommandResult apply(Command c) {
    StateTxn txn = new StateTxn(state);
    var r = applier.apply(txn, c, 1, ++index);
    state.publish(txn.changes(), 1, index);
    return r;
  }

  private void setUp(boolean killOnClose) {
    state = new ResourceState();
    index = 0;
    apply(createTenant("t", 1));
    var app = TestCommands.app("t", "db", 3);
    app = app.toBuilder().setSpec(app.getSpec().toBuilder().setSession(app.getSpec().getSession()
        .toBuilder().setKillInstanceOnClose(killOnClose))).build();
    apply(Command.newBuilder().setNowMs(1).setCaller(tenant("t"))
        .setCreateApplication(CreateApplicationCmd.newBuilder().setApplication(app)).build());
    for (String n : new String[] {"n1", "n2"}) {
      apply(Command.newBuilder().setNowMs(1).setCaller(ADMIN).setRegisterNode(RegisterNodeCmd
          .newBuilder().setNode(Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName(n))
              .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setCapacity(Capacity
                  .newBuilder().setCpuMillis(1000).setMemoryBytes(1 << 30).setMaxInstances(10)))))
          .build());
    }
    apply(Command.newBuilder().setNowMs(2).setCaller(ADMIN).setApplyPlan(PlanCmd.newBuilder()
        .addPlace(PlaceInstance.newBuilder().setTenant("t").setApplication("db").setName("i1")
            .setNode("n1"))).build());
    apply(openSession(tenant("t"), "t", "db", "s1", "", 3));
    apply(Command.newBuilder().setNowMs(4).setCaller(ADMIN).setApplyPlan(PlanCmd.newBuilder()
        .addBind(BindSession.newBuilder().setTenant("t").setSession("s1").setInstance("i1")))
        .build());
  }

  @BeforeEach
  void defaults() {
    setUp(false);
  }

  private PlanResult report(String node, InstanceReport i, SessionReport s) {
    NodeReportCmd.Builder r = NodeReportCmd.newBuilder().setNode(node);
    if (i != null) {
      r.addInstances(i);
    }
    if (s != null) {
      r.addSessions(s);
    }
    return apply(Command.newBuilder().setNowMs(10).setCaller(ADMIN).setNodeReport(r).build()).getPlan();
  }

  private static InstanceReport inst(InstanceState st, int code) {
    return InstanceReport.newBuilder().setTenant("t").setName("i1").setState(st).setExitCode(code).build();
  }

  private static SessionReport sess(SessionState st) {
    return SessionReport.newBuilder().setTenant("t").setName("s1").setState(st)
        .addEndpoints(Endpoint.newBuilder().setHost("127.0.0.1").setPort(20000)).build();
  }

  /**
   * The leader drops the no-op items of a reconnecting agent's report (and proposes nothing if
   * none is left); what it proposes must change the state exactly as the whole report would.
   * Two replicas of the same history, one applying whole reports, one the trimmed ones.
   */
  @Test
  void aReportWithoutItsNoOpsChangesTheStateAsTheWholeReport() {
    setUp(false);
    ResourceState whole = state;
    long wholeIndex = index;
    setUp(false);
    ResourceState trimmed = state;
    long trimmedIndex = index;
    Object[][] steps = {
        {"n1", inst(InstanceState.INSTANCE_CREATING, 0), null},
        {"n1", inst(InstanceState.INSTANCE_READY, 0), sess(SessionState.SESSION_AVAILABLE)},
        {"n1", inst(InstanceState.INSTANCE_READY, 0), sess(SessionState.SESSION_AVAILABLE)},
        {"n1", inst(InstanceState.INSTANCE_STANDBY, 0), null},
        {"n2", inst(InstanceState.INSTANCE_FAILED, 4), sess(SessionState.SESSION_LOST)},
        {"close", null, null},
        {"n1", inst(InstanceState.INSTANCE_READY, 0), sess(SessionState.SESSION_AVAILABLE)},
        {"n1", null, sess(SessionState.SESSION_CLOSED)},
        {"n1", inst(InstanceState.INSTANCE_READY, 0), sess(SessionState.SESSION_CLOSED)},
        {"n1", inst(InstanceState.INSTANCE_FAILED, 2), null},
        {"n1", inst(InstanceState.INSTANCE_READY, 0), null},
    };
    int empty = 0;
    for (Object[] step : steps) {
      Command c;
      NodeReportCmd cut = null;
      if (step[0].equals("close")) {
        c = closeSession(tenant("t"), "t", "s1", 20);
      } else {
        NodeReportCmd.Builder r = NodeReportCmd.newBuilder().setNode((String) step[0]);
        if (step[1] != null) {
          r.addInstances((InstanceReport) step[1]);
        }
        if (step[2] != null) {
          r.addSessions((SessionReport) step[2]);
        }
        c = Command.newBuilder().setNowMs(10).setCaller(ADMIN).setNodeReport(r).build();
        cut = Reports.withoutNoOps(trimmed, c.getNodeReport());
      }
      state = whole;
      index = wholeIndex;
      apply(c);
      wholeIndex = index;
      state = trimmed;
      index = trimmedIndex;
      if (cut == null) {
        apply(c);
      } else if (Reports.isEmpty(cut)) {
        empty++;
      } else {
        apply(c.toBuilder().setNodeReport(cut).build());
      }
      trimmedIndex = index;
      assertEquals(summary(whole), summary(trimmed), "after " + java.util.Arrays.toString(step));
    }
    assertEquals(2, empty, "the repeated READY + AVAILABLE and STANDBY on an allocated instance"
        + " propose nothing");
  }

  /** What the two replicas hold, revisions aside (a skipped proposal takes no log index). */
  private static String summary(ResourceState s) {
    StringBuilder b = new StringBuilder();
    for (Table t : new Table[] {Table.INSTANCES, Table.SESSIONS}) {
      for (com.google.protobuf.Message m : s.list(t, "")) {
        com.google.protobuf.Message.Builder copy = m.toBuilder();
        var meta = copy.getDescriptorForType().findFieldByName("meta");
        copy.setField(meta, ((io.fornax.api.proto.ObjectMeta) copy.getField(meta)).toBuilder()
            .clearRevision().clearGeneration().build());
        b.append(copy.build()).append('\n');
      }
    }
    return b.toString();
  }

  @Test
  void anotherNodeCannotMoveTheInstance() {
    PlanResult r = report("n2", inst(InstanceState.INSTANCE_FAILED, 1), null);
    assertEquals(1, r.getSkipped());
    assertEquals(InstanceState.INSTANCE_PENDING, state.<Instance>get(Table.INSTANCES, "t/i1").getState(),
        "unchanged");
  }

  @Test
  void readyInstanceWithASessionStaysAllocatedAndTheSessionBecomesAvailable() {
    report("n1", inst(InstanceState.INSTANCE_READY, 0), sess(SessionState.SESSION_AVAILABLE));
    assertEquals(InstanceState.INSTANCE_ALLOCATED, state.<Instance>get(Table.INSTANCES, "t/i1").getState());
    Session s = state.get(Table.SESSIONS, "t/s1");
    assertEquals(SessionState.SESSION_AVAILABLE, s.getStatus().getState());
    assertEquals(20000, s.getStatus().getEndpoints(0).getPort());
    assertEquals(10, s.getStatus().getAvailableAtMs());
  }

  @Test
  void aSessionReportAboutAnotherInstanceThanItsOwnIsSkipped() {
    report("n1", inst(InstanceState.INSTANCE_READY, 0), null);
    PlanResult r = report("n1", null, sess(SessionState.SESSION_AVAILABLE).toBuilder()
        .setInstance("i9").build());
    assertEquals(1, r.getSkipped(), "opened on i9, where a warm open had been offered");
    assertEquals(SessionState.SESSION_STARTING,
        state.<Session>get(Table.SESSIONS, "t/s1").getStatus().getState());
    report("n1", null, sess(SessionState.SESSION_LOST).toBuilder().setInstance("i9").build());
    assertEquals(SessionState.SESSION_STARTING,
        state.<Session>get(Table.SESSIONS, "t/s1").getStatus().getState(), "not lost either");

    report("n1", null, sess(SessionState.SESSION_AVAILABLE).toBuilder().setInstance("i1").build());
    assertEquals(SessionState.SESSION_AVAILABLE,
        state.<Session>get(Table.SESSIONS, "t/s1").getStatus().getState());
  }

  @Test
  void aCrashLosesTheSessionsWithTheExitCode() {
    report("n1", inst(InstanceState.INSTANCE_FAILED, 3), null);
    Session s = state.get(Table.SESSIONS, "t/s1");
    assertEquals(SessionState.SESSION_LOST, s.getStatus().getState());
    assertTrue(s.getStatus().getReason().contains("exit code 3"), s.getStatus().getReason());
  }

  @Test
  void closeConfirmedByTheAgentReleasesTheInstance() {
    report("n1", inst(InstanceState.INSTANCE_READY, 0), sess(SessionState.SESSION_AVAILABLE));
    apply(closeSession(tenant("t"), "t", "s1", 20));
    assertEquals(SessionState.SESSION_CLOSING, state.<Session>get(Table.SESSIONS, "t/s1").getStatus().getState());
    report("n1", null, sess(SessionState.SESSION_CLOSED));
    assertEquals(SessionState.SESSION_CLOSED, state.<Session>get(Table.SESSIONS, "t/s1").getStatus().getState());
    Instance i = state.get(Table.INSTANCES, "t/i1");
    assertEquals(InstanceState.INSTANCE_READY, i.getState(), "back in the pool");
    assertEquals(0, i.getSessionsCount());
  }

  @Test
  void killInstanceOnCloseTerminatesTheInstanceWithItsSession() {
    setUp(true);
    report("n1", inst(InstanceState.INSTANCE_READY, 0), sess(SessionState.SESSION_AVAILABLE));
    apply(closeSession(tenant("t"), "t", "s1", 20));
    report("n1", null, sess(SessionState.SESSION_CLOSED));
    Instance i = state.get(Table.INSTANCES, "t/i1");
    assertEquals(InstanceState.INSTANCE_TERMINATING, i.getState());
    assertTrue(i.getExitReason().contains("killInstanceOnClose"));
  }

  private Session closeConfirmed(String instance, long now) {
    Command c = closeSession(tenant("t"), "t", "s1", now);
    return apply(c.toBuilder().setCloseSession(c.getCloseSession().toBuilder()
        .setClosedOn(instance)).build()).getResource().getSession();
  }

  @Test
  void aCloseTheAgentConfirmedFirstEndsTheSessionInItsOwnEntry() {
    report("n1", inst(InstanceState.INSTANCE_READY, 0), sess(SessionState.SESSION_AVAILABLE));
    Session s = closeConfirmed("i1", 20);
    assertEquals(SessionState.SESSION_CLOSED, s.getStatus().getState());
    assertEquals("closed by client", s.getStatus().getReason());
    assertEquals(20, s.getStatus().getClosedAtMs());
    Instance i = state.get(Table.INSTANCES, "t/i1");
    assertEquals(InstanceState.INSTANCE_READY, i.getState(), "back in the pool at once");
    assertEquals(0, i.getSessionsCount());
    assertEquals(s, closeConfirmed("i1", 21), "again: nothing changes");
  }

  @Test
  void aConfirmationFromAnotherInstanceIsAnOrdinaryClose() {
    report("n1", inst(InstanceState.INSTANCE_READY, 0), sess(SessionState.SESSION_AVAILABLE));
    assertEquals(SessionState.SESSION_CLOSING, closeConfirmed("i9", 20).getStatus().getState());
    assertEquals(1, state.<Instance>get(Table.INSTANCES, "t/i1").getSessionsCount());
    assertEquals(SessionState.SESSION_CLOSED, closeConfirmed("i1", 21).getStatus().getState(),
        "a confirmed close also ends a CLOSING session");
  }

  @Test
  void aConfirmedCloseKillsTheInstanceOfAStatefulApplication() {
    setUp(true);
    report("n1", inst(InstanceState.INSTANCE_READY, 0), sess(SessionState.SESSION_AVAILABLE));
    closeConfirmed("i1", 20);
    assertEquals(InstanceState.INSTANCE_TERMINATING,
        state.<Instance>get(Table.INSTANCES, "t/i1").getState());
  }

  @Test
  void finishedInstancesDoNotComeBack() {
    report("n1", inst(InstanceState.INSTANCE_FAILED, 1), null);
    PlanResult r = report("n1", inst(InstanceState.INSTANCE_READY, 0), null);
    assertEquals(1, r.getSkipped());
    assertEquals(InstanceState.INSTANCE_FAILED, state.<Instance>get(Table.INSTANCES, "t/i1").getState());
  }
}
