package io.fornax.shell.interactive;

import io.fornax.shell.UsageException;
import io.fornax.shell.commands.BaseCommand;
import io.fornax.shell.config.ClientConfig;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;

/** {@code fornax shell}: the interactive prompt. */
@Command(name = "shell", description = {"The interactive prompt, with completion and history.",
    "Every command of fornax, with TAB completion of commands, flags and live resource names,",
    "history across runs (kept beside the config file), Ctrl-C cancelling the running command (a watch, a",
    "waiting session open) and Ctrl-D or exit leaving."})
public final class ShellCommand extends BaseCommand {
  @Override
  protected int run() throws Exception {
    if (InteractiveShell.running()) {
      throw new UsageException("already in the shell");
    }
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      if (terminal.getWidth() <= 0) { // a pty whose size nobody set: lines would not render
        terminal.setSize(new org.jline.terminal.Size(80, 24));
      }
      Path history = ClientConfig.configFile(ctx().env(), ctx().home()).resolveSibling("history");
      return new InteractiveShell(ctx(), cli().flags(), terminal, history).run();
    }
  }
}
