package io.fornax.core.command;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.CreateApplicationCmd;
import io.fornax.api.proto.DeleteApplicationCmd;
import io.fornax.api.proto.Deleted;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.InstanceState;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.UpdateApplicationCmd;
import io.fornax.core.state.Table;

final class ApplicationCommands {
  private ApplicationCommands() {}

  static CommandResult.Builder create(ApplyContext ctx, CreateApplicationCmd cmd) {
    Application requested = cmd.getApplication();
    String tenant = requested.getMeta().getTenant();
    String name = requested.getMeta().getName();
    ctx.requireTenant(tenant);
    Tenant owner = TenantCommands.require(ctx, tenant);
    String key = Table.APPLICATIONS.key(tenant, name);
    if (ctx.txn().get(Table.APPLICATIONS, key).isPresent()) {
      throw new FornaxException(ErrorCode.ALREADY_EXISTS,
          "application \"" + name + "\" already exists in tenant \"" + tenant + "\"");
    }
    int max = owner.getQuota().getMaxApplications();
    if (max > 0 && ctx.txn().list(Table.APPLICATIONS, tenant + "/").size() >= max) {
      throw new FornaxException(ErrorCode.RESOURCE_EXHAUSTED, String.format(
          "tenant \"%s\" reached its quota of %d applications", tenant, max));
    }
    Application app = requested.toBuilder()
        .setMeta(ctx.created(requested.getMeta()))
        .clearStatus()
        .build();
    ctx.txn().put(Table.APPLICATIONS, key, app);
    return result(app);
  }

  static CommandResult.Builder update(ApplyContext ctx, UpdateApplicationCmd cmd) {
    Application requested = cmd.getApplication();
    String tenant = requested.getMeta().getTenant();
    ctx.requireTenant(tenant);
    Application current = require(ctx, tenant, requested.getMeta().getName());
    // The scheduler's status writes move the revision but not the generation: a client that
    // read the spec before one of them is not stale.
    if (cmd.getExpectedRevision() != current.getMeta().getGeneration()) {
      ApplyContext.checkRevision("application \"" + requested.getMeta().getName() + "\"",
          cmd.getExpectedRevision(), current.getMeta().getRevision());
    }
    Application app = current.toBuilder()
        .setMeta(ctx.touched(current.getMeta()).toBuilder().setGeneration(ctx.index())
            .clearLabels().putAllLabels(requested.getMeta().getLabelsMap()))
        .setSpec(requested.getSpec())
        .build();
    ctx.txn().put(Table.APPLICATIONS, Table.APPLICATIONS.key(tenant, app.getMeta().getName()), app);
    return result(app);
  }

  /** Removes the application; its open sessions close and its instances are told to stop. */
  static CommandResult.Builder delete(ApplyContext ctx, DeleteApplicationCmd cmd) {
    ctx.requireTenant(cmd.getTenant());
    Application current = require(ctx, cmd.getTenant(), cmd.getName());
    ApplyContext.checkRevision("application \"" + cmd.getName() + "\"",
        cmd.getExpectedRevision(), current.getMeta().getRevision());
    for (Session s : ctx.txn().<Session>list(Table.SESSIONS, cmd.getTenant() + "/")) {
      if (s.getSpec().getApplication().equals(cmd.getName()) && !Sessions.isTerminal(s)) {
        Sessions.finish(ctx, s, io.fornax.api.proto.SessionState.SESSION_CLOSED, "application deleted");
      }
    }
    for (Instance i : ctx.txn().<Instance>list(Table.INSTANCES, cmd.getTenant() + "/")) {
      if (i.getApplication().equals(cmd.getName()) && !Instances.isFinished(i)) {
        Instance stopping = i.toBuilder()
            .setMeta(ctx.touched(i.getMeta()))
            .setState(InstanceState.INSTANCE_TERMINATING)
            .setExitReason("application deleted")
            .build();
        ctx.txn().put(Table.INSTANCES, Table.INSTANCES.key(cmd.getTenant(), i.getMeta().getName()),
            stopping);
      }
    }
    ctx.txn().delete(Table.APPLICATIONS, Table.APPLICATIONS.key(cmd.getTenant(), cmd.getName()));
    return CommandResult.newBuilder().setDeleted(Deleted.getDefaultInstance());
  }

  static Application require(ApplyContext ctx, String tenant, String name) {
    return ctx.txn().<Application>get(Table.APPLICATIONS, Table.APPLICATIONS.key(tenant, name))
        .orElseThrow(() -> FornaxException.notFound(
            "application \"%s\" not found in tenant \"%s\"", name, tenant));
  }

  private static CommandResult.Builder result(Application app) {
    return CommandResult.newBuilder().setResource(Resource.newBuilder().setApplication(app));
  }
}
