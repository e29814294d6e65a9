package io.fornax.agent;

import io.fornax.agent.runtime.OciRuntime;
import io.fornax.agent.runtime.ProcessRuntime;
import io.fornax.api.FornaxException;
import io.fornax.api.Threads;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fornax agent --config FILE}: runs the node agent until SIGTERM or Ctrl-C. */
@Command(name = "fornax agent", mixinStandardHelpOptions = true,
    description = "Run the Fornax node agent.")
public final class AgentMain implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "Agent config (YAML), e.g. conf/local/agent.yaml")
  Path config;

  @Option(names = "--simulate", paramLabel = "N",
      description = "SIMULATION for scale tests: run N virtual nodes that run no processes")
  int simulate;

  @Option(names = "--create-delay", defaultValue = "50ms",
      description = "With --simulate: time until a virtual instance is ready (default ${DEFAULT-VALUE})")
  String createDelay;

  @Option(names = "--open-delay", defaultValue = "5ms",
      description = "With --simulate: time until a virtual session is available (default ${DEFAULT-VALUE})")
  String openDelay;

  public static void main(String[] args) {
    Threads.commonPoolOfAtLeastTwo();
    System.exit(new CommandLine(new AgentMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    AgentConfig c;
    try {
      c = AgentConfig.load(config);
    } catch (FornaxException e) {
      System.err.println("fornax agent: " + e.getMessage());
      return 2;
    }
    if (simulate > 0) {
      String token = java.nio.file.Files.readString(Path.of(c.tokenFile)).trim();
      io.fornax.agent.simulate.Simulation sim = new io.fornax.agent.simulate.Simulation(c.cores, token,
          io.fornax.api.Durations.parse(createDelay), io.fornax.api.Durations.parse(openDelay))
          .start(c.node + "-sim", simulate);
      CountDownLatch done = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        sim.close();
        done.countDown();
      }, "shutdown"));
      System.err.printf("fornax agent: SIMULATION of %d virtual nodes (no processes run)%n", simulate);
      done.await();
      return 0;
    }
    OciRuntime oci = null;
    boolean isolated = c.ociNetwork.equals("isolated");
    if (!OciRuntime.available(c.ociRuntime)) {
      System.err.printf("fornax agent: %s not found: \"oci\" applications cannot run here%n", c.ociRuntime);
    } else if (isolated && !OciRuntime.relaysAvailable()) {
      System.err.printf("fornax agent: ociNetwork isolated needs socat and nsenter (packages socat,"
          + " util-linux), not found: \"oci\" applications cannot run here%n");
    } else if (isolated && !io.fornax.agent.ingress.Ingress.unixTargets()) {
      System.err.printf("fornax agent: ociNetwork isolated needs Netty's native epoll transport"
          + " (Linux x86_64), which did not load: \"oci\" applications cannot run here%n");
    } else {
      oci = new OciRuntime(c.ociRuntime, c.maxLogBytes, isolated, c.ociHostDirs);
    }
    FornaxAgent agent = new FornaxAgent(c, new ProcessRuntime(c.maxLogBytes,
        c.cgroupRoot.isEmpty() ? null : Path.of(c.cgroupRoot)), oci).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "shutdown"));
    System.err.printf("fornax agent: node %s running (cores %s)%n", c.node, c.cores);
    stopped.await();
    return 0;
  }
}
