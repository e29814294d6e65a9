package io.fornax.shell.commands;

import io.fornax.api.proto.Kind;
import io.fornax.shell.output.Describer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code describe KIND NAME}: one resource in full, with what explains its state. */
@Command(name = "describe", description = {"Show one resource in full: status, events, reasons.",
    "  fornax describe app echo", "  fornax describe session s-1a2b3c"})
public final class DescribeCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "KIND", converter = KindConverter.class,
      completionCandidates = KindCandidates.class,
      description = "apps, sessions, nodes, instances or tenants")
  Kind kind;

  @Parameters(index = "1", paramLabel = "NAME")
  String name;

  @Override
  protected int run() {
    out().print(Describer.describe(ResourceAccess.get(client(), kind, name), ctx().clock()));
    out().flush();
    return 0;
  }
}
