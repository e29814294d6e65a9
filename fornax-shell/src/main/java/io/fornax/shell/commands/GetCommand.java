package io.fornax.shell.commands;

import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Resource;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code get KIND [NAME]}: a table of resources, or one resource, or JSON/YAML. */
@Command(name = "get", description = {"List resources of a kind, or show one.",
    "  fornax get apps", "  fornax get sessions --app echo -o wide",
    "  fornax get app echo -o yaml"})
public final class GetCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "KIND", converter = KindConverter.class,
      completionCandidates = KindCandidates.class,
      description = "apps, sessions, nodes, instances or tenants")
  Kind kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Only this one")
  String name;

  @Option(names = {"-o", "--output"}, defaultValue = "table",
      description = "table, wide, json or yaml (default: ${DEFAULT-VALUE})")
  Output output;

  @Option(names = {"-a", "--app"}, defaultValue = "",
      description = "Sessions or instances of this application only")
  String application;

  @Option(names = {"-l", "--selector"}, description = "Only those with this label (key=value)")
  Map<String, String> labels = Map.of();

  @Override
  protected int run() {
    boolean one = name != null;
    List<Resource> items = one ? List.of(ResourceAccess.get(client(), kind, name))
        : ResourceAccess.list(client(), kind, application, labels);
    if (items.isEmpty() && !output.machine()) {
      err().println("No " + ResourceAccess.noun(kind) + "s.");
      err().flush();
      return 0;
    }
    output.print(out(), kind, items, one, ctx().clock());
    return 0;
  }
}
