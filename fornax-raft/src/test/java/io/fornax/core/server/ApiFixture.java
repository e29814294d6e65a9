package io.fornax.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.ApplicationSpec;
import io.fornax.api.proto.CreateApplicationRequest;
import io.fornax.api.proto.CreateTenantRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.api.proto.RuntimeSpec;
import io.fornax.api.proto.ScalingPolicy;
import io.fornax.api.proto.Tenant;
import io.fornax.client.internal.FornaxConnection;
import io.fornax.core.state.StateDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One API server on 127.0.0.1 (ephemeral port) over an {@link InMemoryCoreBackend}, and the
 * client connections a test opens to it. Every response read through {@link #call} is kept, so
 * a test can check properties of all of them (no token hash ever leaves).
 */
final class ApiFixture implements AutoCloseable {
  static final String ADMIN_TOKEN = "admin.fixture-secret";
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  final InMemoryCoreBackend backend;
  final ApiServer server;
  final FornaxConnection admin;
  final List<Response> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<FornaxConnection> connections = new ArrayList<>();

  ApiFixture(Path dir) throws InterruptedException {
    this(dir, 1000, UnaryOperator.identity());
  }

  ApiFixture(Path dir, int eventWindow, UnaryOperator<ApiServerConfig> config)
      throws InterruptedException {
    backend = new InMemoryCoreBackend(dir, eventWindow);
    server = new ApiServer(backend,
        config.apply(ApiServerConfig.loopback(Tokens.sha256Hex(ADMIN_TOKEN)))).start();
    admin = connect(ADMIN_TOKEN);
  }

  FornaxConnection connect(String token) {
    FornaxConnection c = FornaxConnection.connect("127.0.0.1", server.port(), token,
        Duration.ofSeconds(5));
    connections.add(c);
    return c;
  }

  Response call(FornaxConnection c, Request.Builder r) {
    Response response = c.callSync(r.build(), TIMEOUT);
    seen.add(response);
    return response;
  }

  /** Calls and asserts the response is not an error. */
  Response ok(FornaxConnection c, Request.Builder r) {
    Response response = call(c, r);
    assertEquals(ErrorCode.OK, response.getError().getCode(), response.getError().getMessage());
    return response;
  }

  /** Creates a tenant as the admin; returns its token. */
  String tenant(String name) {
    return ok(admin, Request.newBuilder().setCreateTenant(CreateTenantRequest.newBuilder()
        .setTenant(Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name)))))
        .getTenantCreated().getToken();
  }

  Response createApp(FornaxConnection c, Application app) {
    return call(c, Request.newBuilder()
        .setCreateApplication(CreateApplicationRequest.newBuilder().setApplication(app)));
  }

  static Application app(String name, int min, int max) {
    return Application.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name))
        .setSpec(ApplicationSpec.newBuilder()
            .setRuntime(RuntimeSpec.newBuilder().setCommand("/bin/cat"))
            .setScaling(ScalingPolicy.newBuilder().setMinInstances(min).setMaxInstances(max)))
        .build();
  }

  String digest() {
    return StateDigest.of(backend.state());
  }

  long applied() {
    return backend.state().appliedIndex();
  }

  @Override
  public void close() {
    connections.forEach(FornaxConnection::close);
    server.close();
    backend.close();
  }
}
