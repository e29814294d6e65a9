package io.fornax.core.command;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.CommandResult;
import io.fornax.api.proto.CreateTenantCmd;
import io.fornax.api.proto.DeleteTenantCmd;
import io.fornax.api.proto.Deleted;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.UpdateTenantCmd;
import io.fornax.core.state.Table;
import java.util.List;

final class TenantCommands {
  private TenantCommands() {}

  static CommandResult.Builder create(ApplyContext ctx, CreateTenantCmd cmd) {
    ctx.requireAdmin("creating a tenant");
    Tenant requested = cmd.getTenant();
    String name = requested.getMeta().getName();
    if (ctx.txn().get(Table.TENANTS, name).isPresent()) {
      throw new FornaxException(ErrorCode.ALREADY_EXISTS, "tenant \"" + name + "\" already exists");
    }
    Tenant tenant = requested.toBuilder().setMeta(ctx.created(requested.getMeta())).build();
    ctx.txn().put(Table.TENANTS, name, tenant);
    return result(tenant);
  }

  static CommandResult.Builder update(ApplyContext ctx, UpdateTenantCmd cmd) {
    ctx.requireAdmin("updating a tenant");
    String name = cmd.getTenant().getMeta().getName();
    Tenant current = require(ctx, name);
    ApplyContext.checkRevision("tenant \"" + name + "\"", cmd.getExpectedRevision(),
        current.getMeta().getRevision());
    Tenant.Builder updated = current.toBuilder()
        .setMeta(ctx.touched(current.getMeta()).toBuilder()
            .clearLabels().putAllLabels(cmd.getTenant().getMeta().getLabelsMap()))
        .setQuota(cmd.getTenant().getQuota());
    if (!cmd.getTenant().getTokenHash().isEmpty()) {
      updated.setTokenHash(cmd.getTenant().getTokenHash());
    }
    Tenant tenant = updated.build();
    ctx.txn().put(Table.TENANTS, name, tenant);
    return result(tenant);
  }

  static CommandResult.Builder delete(ApplyContext ctx, DeleteTenantCmd cmd) {
    ctx.requireAdmin("deleting a tenant");
    Tenant current = require(ctx, cmd.getName());
    ApplyContext.checkRevision("tenant \"" + cmd.getName() + "\"", cmd.getExpectedRevision(),
        current.getMeta().getRevision());
    List<Application> apps = ctx.txn().list(Table.APPLICATIONS, cmd.getName() + "/");
    if (!apps.isEmpty()) {
      throw new FornaxException(ErrorCode.FAILED_PRECONDITION, String.format(
          "tenant \"%s\" still has %d application(s); delete them first", cmd.getName(), apps.size()));
    }
    ctx.txn().delete(Table.TENANTS, cmd.getName());
    return CommandResult.newBuilder().setDeleted(Deleted.getDefaultInstance());
  }

  static Tenant require(ApplyContext ctx, String name) {
    return ctx.txn().<Tenant>get(Table.TENANTS, name)
        .orElseThrow(() -> FornaxException.notFound("tenant \"%s\" not found", name));
  }

  private static CommandResult.Builder result(Tenant tenant) {
    return CommandResult.newBuilder().setResource(Resource.newBuilder().setTenant(tenant));
  }
}
