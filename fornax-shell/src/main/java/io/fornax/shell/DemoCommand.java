package io.fornax.shell;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.CloseSessionRequest;
import io.fornax.api.proto.CreateApplicationRequest;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.UpdateTenantRequest;
import io.fornax.client.internal.FornaxConnection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fornax demo}: a tenant, an application and a session through the real API. */
@Command(name = "demo", description = "Create a demo tenant and application, open and close a session.")
final class DemoCommand implements Callable<Integer> {
  @Mixin Target target;

  @Override
  public Integer call() {
    String tenantToken;
    try (FornaxConnection admin = target.connect()) {
      tenantToken = tenantToken(admin);
    }
    try (FornaxConnection c = target.connect(tenantToken)) {
      say("tenant \"demo\" ready; its token: " + tenantToken);
      try {
        Target.call(c, Request.newBuilder().setCreateApplication(CreateApplicationRequest.newBuilder()
            .setApplication(echoApp())));
        say("application \"echo\" created (warm pool of 1, scales to zero)");
      } catch (FornaxException e) {
        if (e.code() != ErrorCode.ALREADY_EXISTS) {
          throw e;
        }
        say("application \"echo\" already exists");
      }
      Session s = Target.call(c, Request.newBuilder().setOpenSession(OpenSessionRequest.newBuilder()
          .setApplication("echo"))).getResource().getSession();
      say("session " + s.getMeta().getName() + " opened: " + s.getStatus().getState()
          + " at revision " + s.getMeta().getRevision());
      int sessions = Target.call(c, Request.newBuilder().setList(ListRequest.newBuilder()
          .setKind(Kind.SESSION).setApplication("echo"))).getList().getItemsCount();
      say(sessions + " session(s) of \"echo\" recorded in the replicated state");
      Session closed = Target.call(c, Request.newBuilder().setCloseSession(CloseSessionRequest
          .newBuilder().setName(s.getMeta().getName()))).getResource().getSession();
      say("session " + closed.getMeta().getName() + " closed: " + closed.getStatus().getState()
          + " (" + closed.getStatus().getReason() + ")");
      say("sessions stay PENDING until bound: the scheduler and the node agent bind them to"
          + " running instances");
    }
    return 0;
  }

  private static String tenantToken(FornaxConnection admin) {
    try {
      return Target.call(admin, Request.newBuilder().setCreateTenant(CreateTenantRequest.newBuilder()
          .setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName("demo")))))
          .getTenantCreated().getToken();
    } catch (FornaxException e) {
      if (e.code() != ErrorCode.ALREADY_EXISTS) {
        throw e;
      }
      // Only the hash is stored, so an existing tenant's token cannot be shown: issue a new one.
      return Target.call(admin, Request.newBuilder().setUpdateTenant(UpdateTenantRequest.newBuilder()
          .setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName("demo")))
          .setRotateToken(true))).getTenantCreated().getToken();
    }
  }

  private static Application echoApp() {
    return Application.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName("echo").putLabels("example", "true"))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/cat"))
            .addPorts(PortSpec.newBuilder().setName("main").setPort(7000))
            .setScaling(ScalingPolicy.newBuilder().setMinInstances(0).setMaxInstances(5)
                .setIdleSessionsLow(1).setIdleSessionsHigh(1)))
        .build();
  }

  private static void say(String line) {
    System.out.println("demo: " + line);
  }
}
