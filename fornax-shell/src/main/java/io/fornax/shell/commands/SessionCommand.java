package io.fornax.shell.commands;

import io.fornax.api.Durations;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Session;
import io.fornax.client.OpenOptions;
import io.fornax.client.Resources;
import io.fornax.shell.UsageException;
import io.fornax.shell.output.Columns;
import io.fornax.shell.output.Progress;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code session open|close}: claim an instance of an application, and give it back. */
@Command(name = "session", description = "Open and close sessions.",
    subcommands = {SessionCommand.Open.class, SessionCommand.Close.class})
public final class SessionCommand {
  /** {@code session open APP}. */
  @Command(name = "open", description = {
      "Open a session; prints its name, state and endpoint (host:port).",
      "  fornax session open echo --wait", "  fornax session open echo --data '{\"user\":1}'"})
  public static final class Open extends BaseCommand {
    @Parameters(paramLabel = "APP", description = "The application")
    String application;

    @Option(names = "--data", description = "Session data handed to the instance (UTF-8)")
    String data = "";

    @Option(names = {"-w", "--wait"}, description = "Wait until the session is AVAILABLE")
    boolean waitAvailable;

    @Option(names = "--timeout", paramLabel = "DURATION",
        description = "Open timeout, e.g. 30s (default: the application's)")
    String timeout;

    @Option(names = {"-o", "--output"}, defaultValue = "table",
        description = "table, json or yaml")
    Output output;

    @Override
    protected int run() {
      OpenOptions.Builder options = OpenOptions.builder().data(data).waitAvailable(waitAvailable);
      if (timeout != null) {
        try {
          options.openTimeout(Durations.parse(timeout));
        } catch (RuntimeException e) {
          throw new UsageException("--timeout: " + e.getMessage());
        }
      }
      Session s;
      try (Progress p = Progress.start(err(), ctx().stderrTerminal() && waitAvailable,
          "waiting for a session of " + application)) {
        s = client().sessions().open(application, options.build());
      }
      print(this, s, output);
      return 0;
    }
  }

  /** {@code session close NAME}. */
  @Command(name = "close", description = {"Close sessions and wait until they are CLOSED.",
      "  fornax session close s-1a2b3c"})
  public static final class Close extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "SESSION")
    List<String> names;

    @Option(names = {"-o", "--output"}, defaultValue = "table",
        description = "table, json or yaml")
    Output output;

    @Override
    protected int run() {
      for (String name : names) {
        print(this, client().sessions().close(name), output);
      }
      return 0;
    }
  }

  /** {@code NAME STATE HOST:PORT}: the name first, so scripts can cut it. */
  static void print(BaseCommand c, Session s, Output output) {
    if (output.machine()) {
      output.print(c.out(), Kind.SESSION, List.of(Resource.newBuilder().setSession(s).build()),
          true, c.ctx().clock());
      return;
    }
    String endpoint = Columns.endpoints(s.getStatus().getEndpointsList());
    String reason = s.getStatus().getReason();
    c.out().println(s.getMeta().getName() + " " + Resources.state(s.getStatus().getState())
        + (endpoint.isEmpty() ? "" : " " + endpoint) + (reason.isEmpty() ? "" : " (" + reason + ")"));
    c.out().flush();
  }
}
