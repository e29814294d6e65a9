package io.fornax.shell.commands;

import picocli.CommandLine.Command;

/** {@code cluster status}. */
@Command(name = "cluster", description = "The replica group.",
    subcommands = {ClusterCommand.Status.class})
public final class ClusterCommand {
  /** Members, addresses, roles, leader, term, indexes and health of each replica. */
  @Command(name = "status", description = {
      "Members with their addresses, roles, term, commit/applied indexes and health.",
      "  fornax cluster status"})
  public static final class Status extends BaseCommand {
    @Override
    protected int run() {
      return ClusterView.print(client(), out());
    }
  }
}
