package io.fornax.shell.commands;

import io.fornax.api.proto.Resource;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code get KIND [NAME]}: a table of resources, or one resource, or JSON/YAML. */
@Command(name = "get", description = {"List resources of a kind, or show one.",
    "  fornax get apps", "  fornax get sessions --app echo -o wide",
    "  fornax get app echo -o yaml"})
public final class GetCommand extends BaseCommand {
  @Mixin
  KindAndName target;

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
    boolean one = target.name != null;
    List<Resource> items = one
        ? List.of(ResourceAccess.get(client(), target.kind, target.name))
        : ResourceAccess.list(client(), target.kind, application, labels);
    if (items.isEmpty() && !output.machine()) {
      err().println("No " + ResourceAccess.noun(target.kind) + "s.");
      err().flush();
      return 0;
    }
    output.print(out(), target.kind, items, one, ctx().clock());
    return 0;
  }
}
