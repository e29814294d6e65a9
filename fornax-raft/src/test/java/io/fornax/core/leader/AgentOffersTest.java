package io.fornax.core.leader;

import static io.fornax.core.command.TestCommands.ADMIN;
import static io.fornax.core.command.TestCommands.createTenant;
import static io.fornax.core.command.TestCommands.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.Capacity;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CreateApplicationCmd;
import io.fornax.api.proto.InstanceReport;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.NodeReportCmd;
import io.fornax.api.proto.NodeSpec;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PlaceInstance;
import io.fornax.api.proto.PlanCmd;
import io.fornax.api.proto.RegisterNodeCmd;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionSpec;
import io.fornax.core.command.AppliedLog;
import io.fornax.core.command.TestCommands;
import io.fornax.core.state.ResourceState;
import io.fornax.core.state.Table;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The leader's reservations: one open per free instance, however many are already held. */
class AgentOffersTest {
  private final AppliedLog log = new AppliedLog();
  private final ResourceState state = log.state;
  private final AgentOffers offers = new AgentOffers();
  private void apply(Command c) {
    log.apply(c);
  }

  private Application setUp(int instances) {
    apply(createTenant("t", 1));
    apply(Command.newBuilder().setNowMs(1).setCaller(tenant("t")).setCreateApplication(
        CreateApplicationCmd.newBuilder().setApplication(TestCommands.app("t", "web", 500)))
        .build());
    apply(Command.newBuilder().setNowMs(1).setCaller(ADMIN).setRegisterNode(RegisterNodeCmd
        .newBuilder().setNode(Node.newBuilder().setMeta(ObjectMeta.newBuilder().setName("n1"))
            .setSpec(NodeSpec.newBuilder().setAddress("127.0.0.1").setCapacity(Capacity
                .newBuilder().setCpuMillis(64_000).setMemoryBytes(1L << 40)
                .setMaxInstances(500)))))
        .build());
    for (int i = 0; i < instances; i++) {
      String name = String.format("i%03d", i);
      apply(Command.newBuilder().setNowMs(2).setCaller(ADMIN).setApplyPlan(PlanCmd.newBuilder()
          .addPlace(PlaceInstance.newBuilder().setTenant("t").setApplication("web").setName(name)
              .setNode("n1"))).build());
      apply(Command.newBuilder().setNowMs(3).setCaller(ADMIN).setNodeReport(NodeReportCmd
          .newBuilder().setNode("n1").addInstances(InstanceReport.newBuilder().setTenant("t")
              .setName(name).setState(InstanceState.INSTANCE_READY))).build());
    }
    return state.get(Table.APPLICATIONS, "t/web");
  }

  private static Session pending(int i) {
    return Session.newBuilder().setMeta(ObjectMeta.newBuilder().setTenant("t").setName("s" + i))
        .setSpec(SessionSpec.newBuilder().setApplication("web")).build();
  }

  @Test
  void heldInstancesArePassedOverWithoutEndingTheSearch() {
    Application app = setUp(100);
    Set<String> taken = new HashSet<>();
    AgentOffers.Offer first = null;
    for (int i = 0; i < 100; i++) {
      AgentOffers.Offer o = offers.reserve(state, pending(i), app, node -> true);
      assertNotNull(o, "open " + i + " finds a free instance behind the held ones");
      taken.add(o.instance());
      first = first == null ? o : first;
    }
    assertEquals(100, taken.size(), "one open per instance");
    assertNull(offers.reserve(state, pending(100), app, node -> true), "all held");

    offers.release(first);
    assertNull(offers.reserve(state, pending(101), app, node -> false),
        "free again, but its node's agent is not connected");
    assertEquals(first.instance(), offers.reserve(state, pending(102), app, node -> true).instance());
  }
}
