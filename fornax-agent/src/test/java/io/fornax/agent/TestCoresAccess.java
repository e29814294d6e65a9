package io.fornax.agent;

import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.client.internal.FornaxConnection;
import java.nio.file.Path;
import java.util.List;

/** {@link TestCores} for tests in other packages. */
public final class TestCoresAccess implements AutoCloseable {
  private final TestCores cores;

  public TestCoresAccess(Path root) throws Exception {
    this.cores = new TestCores(root);
  }

  public List<String> apis() {
    return cores.apis;
  }

  public String admin() {
    return TestCores.ADMIN;
  }

  public FornaxConnection connect(String token) {
    return cores.connect(token);
  }

  public Response ok(FornaxConnection c, Request.Builder r) {
    return TestCores.ok(c, r);
  }

  @Override
  public void close() throws Exception {
    cores.close();
  }
}
