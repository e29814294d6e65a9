package io.fornax.shell;

import io.fornax.api.FornaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fornax} one-shot commands (the interactive shell comes with issue 5). */
@Command(name = "fornax", mixinStandardHelpOptions = true,
    subcommands = {StatusCommand.class, DemoCommand.class},
    description = "Talk to a Fornax cluster.")
public final class FornaxCli {
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new FornaxCli());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof FornaxException f) {
        cmd.getErr().println("fornax: " + f.code() + ": " + f.getMessage());
        return 1;
      }
      throw e;
    });
    System.exit(cli.execute(args));
  }
}
