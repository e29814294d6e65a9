package io.fornax.shell.commands;

import io.fornax.api.proto.TenantCreated;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tenant create NAME}: a new tenant and its token, shown this once. */
@Command(name = "tenant", description = "Manage tenants (admin token).",
    subcommands = {TenantCommand.Create.class, TenantCommand.RotateToken.class})
public final class TenantCommand {
  /** {@code tenant create NAME}. */
  @Command(name = "create", description = {"Create a tenant and print its token (shown once).",
      "  fornax tenant create demo", "  TOKEN=$(fornax tenant create demo -q)"})
  public static final class Create extends BaseCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = {"-q", "--quiet"}, description = "Print only the token")
    boolean quiet;

    @Override
    protected int run() {
      print(client().tenants().create(name), "created", quiet, out());
      return 0;
    }
  }

  /** {@code tenant rotate-token NAME}. */
  @Command(name = "rotate-token", description = "Issue a new token; the old one stops working.")
  public static final class RotateToken extends BaseCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = {"-q", "--quiet"}, description = "Print only the token")
    boolean quiet;

    @Override
    protected int run() {
      print(client().tenants().rotateToken(name), "token rotated", quiet, out());
      return 0;
    }
  }

  static void print(TenantCreated created, String what, boolean quiet,
      java.io.PrintWriter out) {
    if (quiet) {
      out.println(created.getToken());
    } else {
      out.println("tenant/" + created.getTenant().getMeta().getName() + " " + what);
      out.println("token: " + created.getToken());
      out.println("(shown only this once: only its hash is stored)");
    }
    out.flush();
  }
}
