package io.fornax.shell.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fornax.shell.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {
  private static final ClientConfig.Flags NONE = new ClientConfig.Flags(null, null, null, null);
  @TempDir Path home;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void configFile() throws Exception {
    Files.createDirectories(home.resolve(".fornax"));
    Files.writeString(home.resolve(".fornax/config"), """
        current: local
        contexts:
          local:
            endpoints: ["127.0.0.1:9881", "127.0.0.1:9882", "127.0.0.1:9883"]
            token: file-token
          edge:
            endpoints: ["10.0.0.1:9881"]
            token: edge-token
            tenant: shop
        """);
  }

  @Test
  void fileCurrentContextWhenNothingElse() {
    ClientConfig c = ClientConfig.resolve(NONE, env::get, home);
    assertEquals(List.of("127.0.0.1:9881", "127.0.0.1:9882", "127.0.0.1:9883"), c.endpoints());
    assertEquals("file-token", c.token());
    assertEquals("", c.tenant());
  }

  @Test
  void envBeatsFileAndFlagsBeatEnv() {
    env.put("FORNAX_TOKEN", "env-token");
    env.put("FORNAX_ENDPOINTS", "h:1,h:2");
    ClientConfig c = ClientConfig.resolve(NONE, env::get, home);
    assertEquals(List.of("h:1", "h:2"), c.endpoints());
    assertEquals("env-token", c.token());
    c = ClientConfig.resolve(new ClientConfig.Flags("f:9", "flag-token", "t", null), env::get, home);
    assertEquals(List.of("f:9"), c.endpoints());
    assertEquals("flag-token", c.token());
    assertEquals("t", c.tenant());
  }

  @Test
  void contextByFlagOrEnvAndFornaxConfig() throws Exception {
    ClientConfig c = ClientConfig.resolve(new ClientConfig.Flags(null, null, null, "edge"),
        env::get, home);
    assertEquals("edge-token", c.token());
    assertEquals("shop", c.tenant());
    env.put("FORNAX_CONTEXT", "edge");
    assertEquals("edge-token", ClientConfig.resolve(NONE, env::get, home).token());
    Path other = home.resolve("other.yaml");
    Files.writeString(other, "current: x\ncontexts: {x: {token: other, endpoints: a:1}}\n");
    env.remove("FORNAX_CONTEXT");
    env.put("FORNAX_CONFIG", other.toString());
    assertEquals(List.of("a:1"), ClientConfig.resolve(NONE, env::get, home).endpoints());
  }

  @Test
  void noFileMeansLocalDefaultsAndNoToken(@TempDir Path empty) {
    ClientConfig c = ClientConfig.resolve(NONE, env::get, empty);
    assertEquals(ClientConfig.LOCAL, c.endpoints());
    assertNull(c.token());
    assertThrows(UsageException.class, () -> ClientConfig.resolve(
        new ClientConfig.Flags(null, null, null, "nope"), env::get, empty));
    assertThrows(UsageException.class, () -> ClientConfig.resolve(
        new ClientConfig.Flags(null, null, null, "nope"), env::get, home));
  }
}
