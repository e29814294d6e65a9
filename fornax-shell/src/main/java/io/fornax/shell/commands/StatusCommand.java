package io.fornax.shell.commands;

import picocli.CommandLine.Command;

/** {@code status}: short for {@code cluster status}. */
@Command(name = "status", description = "Short for cluster status.")
public final class StatusCommand extends BaseCommand {
  @Override
  protected int run() {
    return ClusterView.print(client(), out());
  }
}
