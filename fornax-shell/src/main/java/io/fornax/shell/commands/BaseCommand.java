package io.fornax.shell.commands;

import io.fornax.api.FornaxException;
import io.fornax.client.FornaxClient;
import io.fornax.client.SessionFailedException;
import io.fornax.shell.ExitCodes;
import io.fornax.shell.FornaxCli;
import io.fornax.shell.ShellContext;
import io.fornax.shell.UsageException;
import io.fornax.shell.manifest.ManifestException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: the client, stdout and stderr of its {@code CommandLine}, and the
 * one place errors become a single line ({@code Error: NOT_FOUND: ...}) and an exit code.
 */
public abstract class BaseCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  /** The command's work; returns its exit code. */
  protected abstract int run() throws Exception;

  @Override
  public final Integer call() {
    try {
      return run();
    } catch (InterruptedException e) {
      return cancelled();
    } catch (UsageException | ManifestException e) {
      return fail(ExitCodes.USAGE, e.getMessage(), e);
    } catch (SessionFailedException e) {
      return fail(ExitCodes.FAILED, e.getMessage(), e);
    } catch (FornaxException e) {
      if (Thread.currentThread().isInterrupted()) {
        return cancelled();
      }
      return fail(ExitCodes.of(e.code()), e.code() + ": " + e.getMessage(), e);
    } catch (Exception e) {
      return fail(ExitCodes.FAILED, String.valueOf(e), e);
    }
  }

  private int cancelled() {
    Thread.interrupted(); // the shell goes on
    err().println("cancelled");
    err().flush();
    return ExitCodes.CANCELLED;
  }

  private int fail(int code, String message, Exception e) {
    err().println("Error: " + message);
    if (cli().verbose()) {
      e.printStackTrace(err());
    }
    err().flush();
    return code;
  }

  protected FornaxCli cli() {
    return (FornaxCli) spec.root().userObject();
  }

  protected ShellContext ctx() {
    return cli().context();
  }

  protected FornaxClient client() {
    return cli().client();
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
