package io.fornax.shell.interactive;

import io.fornax.api.proto.Kind;
import io.fornax.shell.ShellContext;
import io.fornax.shell.commands.ResourceAccess;
import io.fornax.shell.config.ClientConfig;
import java.util.List;

/** Resource names from the cluster, for completion; nothing when the cluster cannot answer. */
final class ClientNames implements FornaxCompleter.Names {
  private final ShellContext ctx;
  private final ClientConfig.Flags flags;

  ClientNames(ShellContext ctx, ClientConfig.Flags flags) {
    this.ctx = ctx;
    this.flags = flags;
  }

  @Override
  public List<String> names(Kind kind) {
    try {
      return ResourceAccess.names(ctx.client(ClientConfig.resolve(flags, ctx.env(), ctx.home())),
          kind);
    } catch (RuntimeException e) {
      return List.of(); // completion must never fail the prompt
    }
  }
}
