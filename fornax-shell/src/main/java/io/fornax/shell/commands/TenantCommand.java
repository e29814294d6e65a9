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
  public static final class Create extends TokenCommand {
    @Override
    TenantCreated call(String tenant) {
      return client().tenants().create(tenant);
    }

    @Override
    String done() {
      return "created";
    }
  }

  /** {@code tenant rotate-token NAME}. */
  @Command(name = "rotate-token", description = "Issue a new token; the old one stops working.")
  public static final class RotateToken extends TokenCommand {
    @Override
    TenantCreated call(String tenant) {
      return client().tenants().rotateToken(tenant);
    }

    @Override
    String done() {
      return "token rotated";
    }
  }

  /** A command on tenant NAME whose answer carries a token, printed once. */
  abstract static class TokenCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = {"-q", "--quiet"}, description = "Print only the token")
    boolean quiet;

    abstract TenantCreated call(String tenant);

    /** What the answer says was done, e.g. "created". */
    abstract String done();

    @Override
    protected int run() {
      print(call(name), done(), quiet, out());
      return 0;
    }
  }

  private static void print(TenantCreated created, String what, boolean quiet,
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
