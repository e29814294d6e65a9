package io.fornax.shell.commands;

import io.fornax.api.proto.Kind;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code delete KIND NAME...}: deletes applications, tenants, nodes; closes sessions. */
@Command(name = "delete", description = {"Delete resources (a session is closed).",
    "  fornax delete app echo", "  fornax delete tenant demo"})
public final class DeleteCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "KIND", converter = KindConverter.class,
      completionCandidates = KindCandidates.class,
      description = "apps, sessions, nodes or tenants")
  Kind kind;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME")
  List<String> names;

  @Override
  protected int run() {
    for (String name : names) {
      ResourceAccess.delete(client(), kind, name);
      out().println(ResourceAccess.noun(kind) + "/" + name + " deleted");
      out().flush();
    }
    return 0;
  }
}
