package io.fornax.agent;

import io.fornax.agent.runtime.OciRuntime;
import io.fornax.agent.runtime.ProcessRuntime;
import io.fornax.api.FornaxException;
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

  public static void main(String[] args) {
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
    OciRuntime oci = OciRuntime.available(c.ociRuntime) ? new OciRuntime(c.ociRuntime, c.maxLogBytes) : null;
    if (oci == null) {
      System.err.printf("fornax agent: %s not found: \"oci\" applications cannot run here%n", c.ociRuntime);
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
