package io.fornax.shell;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.CloseSessionRequest;
import io.fornax.api.proto.CreateApplicationRequest;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.Endpoint;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.GetRequest;
import io.fornax.api.proto.SessionState;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ListRequest;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.PortSpec;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.UpdateTenantRequest;
import io.fornax.client.internal.FornaxConnection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fornax demo}: a tenant, an application and a session through the real API. */
@Command(name = "demo", description = "Create a demo tenant and application, open and close a session.")
final class DemoCommand implements Callable<Integer> {
  @Mixin Target target;

  @Override
  public Integer call() {
    String tenantToken;
    try (FornaxConnection admin = target.connect()) {
      tenantToken = tenantToken(admin);
    }
    try (FornaxConnection c = target.connect(tenantToken)) {
      say("tenant \"demo\" ready; its token: " + tenantToken);
      try {
        Target.call(c, Request.newBuilder().setCreateApplication(CreateApplicationRequest.newBuilder()
            .setApplication(echoApp())));
        say("application \"echo\" created (no warm pool: it scales to zero)");
      } catch (FornaxException e) {
        if (e.code() != ErrorCode.ALREADY_EXISTS) {
          throw e;
        }
        Target.call(c, Request.newBuilder().setUpdateApplication(
            io.fornax.api.proto.UpdateApplicationRequest.newBuilder().setApplication(echoApp())));
        say("application \"echo\" already existed: spec updated");
      }
      Session s = Target.call(c, Request.newBuilder().setOpenSession(OpenSessionRequest.newBuilder()
          .setApplication("echo").setOpenTimeoutMs(60_000))).getResource().getSession();
      String name = s.getMeta().getName();
      say("session " + name + " opened: " + s.getStatus().getState() + "; waiting for an instance");
      Session ready = waitFor(c, name, SessionState.SESSION_AVAILABLE);
      Endpoint ep = ready.getStatus().getEndpoints(0);
      say("session " + name + " AVAILABLE on instance " + ready.getStatus().getInstance()
          + " at " + ep.getHost() + ":" + ep.getPort());
      say("sent \"hello fornax\", got back \"" + echo(ep) + "\"");
      Target.call(c, Request.newBuilder().setCloseSession(CloseSessionRequest.newBuilder().setName(name)));
      Session closed = waitFor(c, name, SessionState.SESSION_CLOSED);
      say("session " + name + " " + closed.getStatus().getState() + " ("
          + closed.getStatus().getReason() + "); the idle instance is reaped: echo scales to zero");
    }
    return 0;
  }

  /** Polls the session until it reaches {@code state} (or a terminal state), showing progress. */
  private static Session waitFor(FornaxConnection c, String name, SessionState state) {
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (true) {
      Session s = Target.call(c, Request.newBuilder().setGet(GetRequest.newBuilder()
          .setKind(Kind.SESSION).setName(name))).getResource().getSession();
      SessionState st = s.getStatus().getState();
      if (st == state) {
        System.out.println();
        return s;
      }
      if (st == SessionState.SESSION_TIMEOUT || st == SessionState.SESSION_LOST
          || st == SessionState.SESSION_CLOSED || System.nanoTime() > deadline) {
        throw new FornaxException(ErrorCode.FAILED_PRECONDITION, "session " + name + " is " + st
            + (s.getStatus().getReason().isEmpty() ? "" : ": " + s.getStatus().getReason()));
      }
      System.out.print(".");
      System.out.flush();
      try {
        Thread.sleep(200); // polling interval while a person watches the dots
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FornaxException(ErrorCode.UNAVAILABLE, "interrupted");
      }
    }
  }

  private static String echo(Endpoint ep) {
    try (java.net.Socket s = new java.net.Socket(ep.getHost(), ep.getPort())) {
      s.setSoTimeout(10_000);
      byte[] msg = "hello fornax".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      s.getOutputStream().write(msg);
      return new String(s.getInputStream().readNBytes(msg.length), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new FornaxException(ErrorCode.UNAVAILABLE, "endpoint " + ep.getHost() + ":"
          + ep.getPort() + " did not echo: " + e.getMessage());
    }
  }

  private static String tenantToken(FornaxConnection admin) {
    try {
      return Target.call(admin, Request.newBuilder().setCreateTenant(CreateTenantRequest.newBuilder()
          .setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName("demo")))))
          .getTenantCreated().getToken();
    } catch (FornaxException e) {
      if (e.code() != ErrorCode.ALREADY_EXISTS) {
        throw e;
      }
      // Only the hash is stored, so an existing tenant's token cannot be shown: issue a new one.
      return Target.call(admin, Request.newBuilder().setUpdateTenant(UpdateTenantRequest.newBuilder()
          .setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName("demo")))
          .setRotateToken(true))).getTenantCreated().getToken();
    }
  }

  private static Application echoApp() {
    return Application.newBuilder()
        .setMeta(ObjectMeta.newBuilder().setName("echo").putLabels("example", "true"))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder()
                .setCommand(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .addArgs("-cp").addArgs(echoClasspath())
                .addArgs("io.fornax.examples.EchoApp"))
            .addPorts(PortSpec.newBuilder().setName("main").setPort(7000))
            .setScaling(ScalingPolicy.newBuilder().setMinInstances(0).setMaxInstances(5)))
        .build();
  }

  private static String echoClasspath() {
    String cp = System.getenv("FORNAX_ECHO_CLASSPATH");
    if (cp == null) {
      throw new FornaxException(ErrorCode.FAILED_PRECONDITION,
          "FORNAX_ECHO_CLASSPATH is not set: run the demo through bin/fornax demo");
    }
    return cp;
  }

  private static void say(String line) {
    System.out.println("demo: " + line);
  }
}
