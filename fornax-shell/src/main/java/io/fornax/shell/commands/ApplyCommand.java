package io.fornax.shell.commands;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.TenantCreated;
import io.fornax.api.validation.Defaults;
import io.fornax.client.FornaxClient;
import io.fornax.client.NotFoundException;
import io.fornax.shell.UsageException;
import io.fornax.shell.manifest.Manifest;
import io.fornax.shell.manifest.ManifestParser;
import io.fornax.shell.output.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apply -f FILE}: creates or updates what YAML manifests describe. Every document of
 * every file is parsed and validated first; one bad document means nothing is applied.
 */
@Command(name = "apply", description = {"Create or update applications and tenants from YAML.",
    "  fornax apply -f conf/examples/echo.yaml", "  cat app.yaml | fornax apply -f -"})
public final class ApplyCommand extends BaseCommand {
  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
      description = "A manifest file, or - for stdin (repeatable)")
  List<String> files;

  @Override
  protected int run() throws IOException {
    ManifestParser parser = new ManifestParser(ctx().env());
    List<Manifest> manifests = new ArrayList<>();
    for (String f : files) {
      manifests.addAll(parser.parse(f.equals("-") ? "<stdin>" : f, read(f)));
    }
    for (Manifest m : manifests) {
      String result;
      try (Progress p = Progress.start(err(), ctx().stderrTerminal(),
          "applying " + m.ref())) {
        result = m.application() != null ? application(m.application()) : tenant(m.tenant());
      }
      out().println(m.ref() + " " + result);
      out().flush();
    }
    return 0;
  }

  private String read(String file) throws IOException {
    if (file.equals("-")) {
      return new String(ctx().stdin().readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      return Files.readString(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new UsageException(file + ": no such file");
    }
  }

  private String application(Application wanted) {
    FornaxClient c = wanted.getMeta().getTenant().isEmpty() ? client()
        : client().withTenant(wanted.getMeta().getTenant());
    Application existing;
    try {
      existing = c.applications().get(wanted.getMeta().getName());
    } catch (NotFoundException e) {
      c.applications().apply(wanted);
      return "created";
    }
    if (existing.getSpec().equals(Defaults.applyApplicationDefaults(wanted).getSpec())
        && existing.getMeta().getLabelsMap().equals(wanted.getMeta().getLabelsMap())) {
      return "unchanged";
    }
    c.applications().apply(wanted);
    return "configured";
  }

  private String tenant(Tenant wanted) {
    Tenant existing;
    try {
      existing = client().tenants().get(wanted.getMeta().getName());
    } catch (NotFoundException e) {
      TenantCreated created = client().tenants().create(wanted);
      return "created (token: " + created.getToken() + ", shown only this once)";
    }
    if (existing.getQuota().equals(wanted.getQuota())
        && existing.getMeta().getLabelsMap().equals(wanted.getMeta().getLabelsMap())) {
      return "unchanged";
    }
    client().tenants().update(wanted, existing.getMeta().getRevision());
    return "configured";
  }
}
