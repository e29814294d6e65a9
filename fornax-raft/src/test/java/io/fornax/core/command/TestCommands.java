package io.fornax.core.command;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.Caller;
import io.fornax.api.proto.CloseSessionCmd;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandBatch;
import io.fornax.api.proto.CreateApplicationCmd;
import io.fornax.api.proto.CreateTenantCmd;
import io.fornax.api.proto.DeleteApplicationCmd;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionCmd;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.SessionSpec;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.UpdateApplicationCmd;
import java.util.List;

/** Builders for commands in tests, as a replica would stamp them. */
public final class TestCommands {
  public static final Caller ADMIN = Caller.newBuilder().setAdmin(true).build();

  private TestCommands() {}

  public static Caller tenant(String name) {
    return Caller.newBuilder().setTenant(name).build();
  }

  public static Command createTenant(String name, long now) {
    return Command.newBuilder().setNowMs(now).setCaller(ADMIN)
        .setCreateTenant(CreateTenantCmd.newBuilder().setTenant(Tenant.newBuilder()
            .setMeta(ObjectMeta.newBuilder().setName(name).setUid("uid-" + name))
            .setTokenHash("hash-" + name)))
        .build();
  }

  public static Application app(String tenant, String name, int maxInstances) {
    return Application.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setTenant(tenant).setName(name).setUid("uid-" + name))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/echo"))
            .setScaling(ScalingPolicy.newBuilder().setMaxInstances(maxInstances).setBurst(1))
            .setSession(io.fornax.api.proto.SessionPolicy.newBuilder().setSessionsPerInstance(1)
                .setOpenTimeoutMs(10_000)))
        .build();
  }

  public static Command createApp(Caller caller, String tenant, String name, long now) {
    return Command.newBuilder().setNowMs(now).setCaller(caller)
        .setCreateApplication(CreateApplicationCmd.newBuilder().setApplication(app(tenant, name, 3)))
        .build();
  }

  public static Command updateApp(Caller caller, String tenant, String name, int max, long expected,
      long now) {
    return Command.newBuilder().setNowMs(now).setCaller(caller)
        .setUpdateApplication(UpdateApplicationCmd.newBuilder()
            .setApplication(app(tenant, name, max)).setExpectedRevision(expected))
        .build();
  }

  public static Command deleteApp(Caller caller, String tenant, String name, long now) {
    return Command.newBuilder().setNowMs(now).setCaller(caller)
        .setDeleteApplication(DeleteApplicationCmd.newBuilder().setTenant(tenant).setName(name))
        .build();
  }

  public static Command openSession(Caller caller, String tenant, String app, String name,
      String idemKey, long now) {
    return Command.newBuilder().setNowMs(now).setCaller(caller)
        .setOpenSession(OpenSessionCmd.newBuilder().setSession(Session.newBuilder()
            .setMeta(ObjectMeta.newBuilder().setTenant(tenant).setName(name).setUid("uid-" + name))
            .setSpec(SessionSpec.newBuilder().setApplication(app).setIdempotencyKey(idemKey))))
        .build();
  }

  public static Command closeSession(Caller caller, String tenant, String name, long now) {
    return Command.newBuilder().setNowMs(now).setCaller(caller)
        .setCloseSession(CloseSessionCmd.newBuilder().setTenant(tenant).setName(name))
        .build();
  }

  public static Command batch(List<Command> commands) {
    return Command.newBuilder().setBatch(CommandBatch.newBuilder().addAllCommands(commands)).build();
  }
}
