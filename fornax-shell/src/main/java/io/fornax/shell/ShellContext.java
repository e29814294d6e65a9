package io.fornax.shell;

import io.fornax.client.FornaxClient;
import io.fornax.shell.config.ClientConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the commands get from outside (environment, home directory, clock, stdin, whether stderr
 * is a terminal), injectable for tests, and the one client they share: built on first use and
 * kept while the interactive shell runs, rebuilt only if the settings change.
 */
public final class ShellContext implements AutoCloseable {
  /** How long a call may take with its failovers before the command says UNAVAILABLE. */
  public static final java.time.Duration REQUEST_TIMEOUT = java.time.Duration.ofSeconds(10);

  private final Function<String, String> env;
  private final Path home;
  private final Clock clock;
  private final InputStream stdin;
  private final boolean stderrTerminal;
  private ClientConfig config;
  private FornaxClient client;

  public ShellContext(Function<String, String> env, Path home, Clock clock, InputStream stdin,
      boolean stderrTerminal) {
    this.env = env;
    this.home = home;
    this.clock = clock;
    this.stdin = stdin;
    this.stderrTerminal = stderrTerminal;
  }

  /** The real process: its environment, home ($HOME, else user.home), clock and stdin. */
  public static ShellContext system() {
    String home = System.getenv("HOME");
    return new ShellContext(System::getenv,
        Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")),
        Clock.systemUTC(), System.in, stderrIsTerminal());
  }

  public Function<String, String> env() {
    return env;
  }

  public Path home() {
    return home;
  }

  public Clock clock() {
    return clock;
  }

  public InputStream stdin() {
    return stdin;
  }

  public boolean stderrTerminal() {
    return stderrTerminal;
  }

  /** The client for {@code config}: the one already built if the settings are the same. */
  public synchronized FornaxClient client(ClientConfig wanted) {
    if (client == null || !Objects.equals(config, wanted)) {
      close();
      if (wanted.token() == null) {
        throw new UsageException("no token: pass --token, set FORNAX_TOKEN, or add one to "
            + wanted.configFile() + " (bin/fornax local writes it)");
      }
      try {
        // A person waits on the answer: 10 s covers a failover (under a second) many times over.
        client = FornaxClient.builder().endpoints(wanted.endpoints()).token(wanted.token())
            .requestTimeout(REQUEST_TIMEOUT).build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new UsageException(e.getMessage());
      }
      config = wanted;
    }
    return wanted.tenant().isEmpty() ? client : client.withTenant(wanted.tenant());
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
      config = null;
    }
  }

  /** Linux: file descriptor 2 leads to a terminal device. Elsewhere: whether there is a console. */
  private static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return System.console() != null;
    }
  }
}
