package io.fornax.shell;

import io.fornax.api.Threads;
import io.fornax.client.FornaxClient;
import io.fornax.shell.commands.ApplyCommand;
import io.fornax.shell.commands.ClusterCommand;
import io.fornax.shell.commands.DeleteCommand;
import io.fornax.shell.commands.NodeCommand;
import io.fornax.shell.commands.DescribeCommand;
import io.fornax.shell.commands.GetCommand;
import io.fornax.shell.commands.SessionCommand;
import io.fornax.shell.commands.StatusCommand;
import io.fornax.shell.commands.TenantCommand;
import io.fornax.shell.commands.WatchCommand;
import io.fornax.shell.config.ClientConfig;
import io.fornax.shell.interactive.ShellCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code fornax} command: one-shot commands for scripts and {@code fornax shell} for the
 * interactive prompt. Connection options may come before or after the command.
 */
@Command(name = "fornax", mixinStandardHelpOptions = true, version = "fornax 0.1.0",
    subcommands = {ShellCommand.class, ApplyCommand.class, GetCommand.class,
        DescribeCommand.class, DeleteCommand.class, SessionCommand.class, WatchCommand.class,
        ClusterCommand.class, TenantCommand.class, NodeCommand.class, StatusCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class},
    description = "Talk to a Fornax cluster.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:the cluster refused or failed the request",
        "2:usage error (arguments, manifest, config file)",
        "3:no replica answered in time / no leader", "4:token refused or not allowed",
        "130:cancelled (Ctrl-C)"})
public final class FornaxCli implements Runnable {
  @Option(names = "--endpoints", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT[,...]",
      description = "Core API addresses (default: $FORNAX_ENDPOINTS, the config file, "
          + "127.0.0.1:9881,9882,9883)")
  String endpoints;

  @Option(names = "--token", scope = ScopeType.INHERIT,
      description = "API token (default: $FORNAX_TOKEN, the config file)")
  String token;

  @Option(names = "--tenant", scope = ScopeType.INHERIT,
      description = "With an admin token: act on this tenant's resources ($FORNAX_TENANT)")
  String tenant;

  @Option(names = "--context", scope = ScopeType.INHERIT,
      description = "The config file context to use (default: $FORNAX_CONTEXT, its current)")
  String context;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "Show stack traces of errors")
  boolean verbose;

  @Spec CommandSpec spec;

  private final ShellContext ctx;
  private final ClientConfig.Flags base;

  public FornaxCli() {
    this(ShellContext.system());
  }

  public FornaxCli(ShellContext ctx) {
    this(ctx, new ClientConfig.Flags(null, null, null, null));
  }

  /**
   * A command line of the interactive shell: {@code base} holds the connection flags the shell
   * was started with, used where a line gives none.
   */
  public FornaxCli(ShellContext ctx, ClientConfig.Flags base) {
    this.ctx = ctx;
    this.base = base;
  }

  public ShellContext context() {
    return ctx;
  }

  public boolean verbose() {
    return verbose;
  }

  /** The settings from flags, environment and config file, in that order. */
  public ClientConfig config() {
    return ClientConfig.resolve(flags(), ctx.env(), ctx.home());
  }

  /** The connection flags given, over those the shell was started with. */
  public ClientConfig.Flags flags() {
    return new ClientConfig.Flags(or(endpoints, base.endpoints()), or(token, base.token()),
        or(tenant, base.tenant()), or(context, base.context()));
  }

  private static String or(String a, String b) {
    return a != null ? a : b;
  }

  /** The shared client, acting on {@code --tenant} when given. */
  public FornaxClient client() {
    return ctx.client(config());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The command line for {@code cli}: option values may be words that are also command names
   * ({@code --tenant demo}).
   */
  public static CommandLine commandLine(FornaxCli cli) {
    return new CommandLine(cli).setAllowSubcommandsAsOptionParameters(true)
        .setParameterExceptionHandler((e, args) -> {
          CommandLine cmd = e.getCommandLine();
          cmd.getErr().println("Error: " + e.getMessage());
          cmd.getErr().println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
          cmd.getErr().flush();
          return ExitCodes.USAGE;
        });
  }

  public static void main(String[] args) {
    Threads.commonPoolOfAtLeastTwo();
    ShellContext ctx = ShellContext.system();
    int code = commandLine(new FornaxCli(ctx)).execute(args);
    ctx.close();
    System.exit(code);
  }
}
