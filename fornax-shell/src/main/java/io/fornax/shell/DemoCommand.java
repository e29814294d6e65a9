package io.fornax.shell;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.Endpoint;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Session;
import io.fornax.client.AlreadyExistsException;
import io.fornax.client.FornaxClient;
import io.fornax.client.OpenOptions;
import io.fornax.shell.commands.BaseCommand;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code fornax demo}: a tenant, an application and a session through the real API. */
@Command(name = "demo", description = "Create a demo tenant and application, open and close a session.")
public final class DemoCommand extends BaseCommand {
  @Override
  protected int run() {
    FornaxClient admin = client();
    try {
      String token = admin.tenants().create("demo").getToken();
      say("tenant \"demo\" created; its token (shown once): " + token);
    } catch (AlreadyExistsException e) {
      say("tenant \"demo\" exists");
    }
    FornaxClient demo = admin.withTenant("demo");
    demo.applications().apply(echoApp());
    say("application \"echo\" applied (no warm pool: it scales to zero)");
    say("opening a session; waiting for an instance");
    Session s = demo.sessions().open("echo", OpenOptions.builder()
        .openTimeout(Duration.ofSeconds(60)).build());
    String name = s.getMeta().getName();
    Endpoint ep = s.getStatus().getEndpoints(0);
    say("session " + name + " AVAILABLE on instance " + s.getStatus().getInstance() + " at "
        + ep.getHost() + ":" + ep.getPort());
    say("sent \"hello fornax\", got back \"" + echo(ep) + "\"");
    Session closed = demo.sessions().close(name);
    say("session " + name + " " + closed.getStatus().getState() + " ("
        + closed.getStatus().getReason() + "); the idle instance is reaped: echo scales to zero");
    return 0;
  }

  private static String echo(Endpoint ep) {
    try (Socket s = new Socket(ep.getHost(), ep.getPort())) {
      s.setSoTimeout(10_000);
      byte[] msg = "hello fornax".getBytes(StandardCharsets.UTF_8);
      s.getOutputStream().write(msg);
      return new String(s.getInputStream().readNBytes(msg.length), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FornaxException(ErrorCode.UNAVAILABLE, "endpoint " + ep.getHost() + ":"
          + ep.getPort() + " did not echo: " + e.getMessage());
    }
  }

  private Application echoApp() {
    String cp = ctx().env().apply("FORNAX_ECHO_CLASSPATH");
    if (cp == null) {
      throw new UsageException("FORNAX_ECHO_CLASSPATH is not set: run the demo through"
          + " bin/fornax demo");
    }
    return Application.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName("echo").putLabels("example", "true"))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder()
                .setCommand(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .addArgs("-cp").addArgs(cp).addArgs("io.fornax.examples.EchoApp"))
            .addPorts(PortSpec.newBuilder().setName("main").setPort(7000))
            .setScaling(ScalingPolicy.newBuilder().setMinInstances(0).setMaxInstances(5)))
        .build();
  }

  private void say(String line) {
    out().println("demo: " + line);
    out().flush();
  }
}
