package io.fornax.core;

import io.fornax.api.FornaxException;
import io.fornax.api.Threads;
import io.fornax.core.config.CoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fornax core --config FILE}: runs one replica until SIGTERM or Ctrl-C. */
@Command(name = "fornax core", mixinStandardHelpOptions = true,
    description = "Run one Fornax Core replica.")
public final class CoreMain implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "Replica config (YAML), e.g. conf/local/core-1.yaml")
  Path config;

  public static void main(String[] args) {
    Threads.commonPoolOfAtLeastTwo();
    System.exit(new CommandLine(new CoreMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    CoreConfig c;
    String adminHash;
    try {
      c = CoreConfig.load(config);
      adminHash = AdminToken.hash(c);
    } catch (FornaxException e) {
      System.err.println("fornax core: " + e.getMessage());
      return 2;
    }
    CoreNode node = CoreNode.start(c, adminHash, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        System.err.println("fornax core: error while stopping: " + e);
      } finally {
        stopped.countDown();
      }
    }, "shutdown"));
    stopped.await();
    return 0;
  }
}
