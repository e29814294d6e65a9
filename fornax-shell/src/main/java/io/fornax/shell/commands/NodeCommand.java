package io.fornax.shell.commands;

import io.fornax.api.proto.Node;
import io.fornax.client.Resources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code node drain|undrain NODE}: stop or resume placing instances on a node. */
@Command(name = "node", description = "Drain and undrain nodes (admin token).",
    subcommands = {NodeCommand.Drain.class, NodeCommand.Undrain.class})
public final class NodeCommand {
  /** {@code node drain NODE}. */
  @Command(name = "drain", description = {
      "Place nothing new on a node; what runs there is left to finish.",
      "  fornax node drain local-node"})
  public static final class Drain extends BaseCommand {
    @Parameters(paramLabel = "NODE")
    String name;

    @Override
    protected int run() {
      print(client().nodes().drain(name), "drained", out());
      return 0;
    }
  }

  /** {@code node undrain NODE}. */
  @Command(name = "undrain", description = {"Make a drained node schedulable again.",
      "  fornax node undrain local-node"})
  public static final class Undrain extends BaseCommand {
    @Parameters(paramLabel = "NODE")
    String name;

    @Override
    protected int run() {
      print(client().nodes().undrain(name), "undrained", out());
      return 0;
    }
  }

  private static void print(Node n, String what, java.io.PrintWriter out) {
    out.println("node/" + n.getMeta().getName() + " " + what + " ("
        + Resources.state(n.getStatus().getState()) + ")");
    out.flush();
  }
}
