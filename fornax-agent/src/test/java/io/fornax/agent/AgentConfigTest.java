package io.fornax.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.FornaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad agent configs are refused with the key and the reason. */
class AgentConfigTest {
  @TempDir Path tmp;

  private Path yaml(String extra) throws Exception {
    Path f = tmp.resolve("agent.yaml");
    Files.writeString(f, String.join("\n", "node: n1", "cores: [\"127.0.0.1:1\"]",
        "tokenFile: /dev/null", "dataDir: " + tmp.resolve("data"), extra, ""));
    return f;
  }

  @Test
  void ociDefaultsToAnIsolatedNetworkAndTheHostSystemDirs() throws Exception {
    AgentConfig c = AgentConfig.load(yaml(""));
    assertEquals("isolated", c.ociNetwork);
    assertEquals(List.of("/usr", "/bin", "/lib", "/lib64", "/etc"), c.ociHostDirs);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ociNetwork: bridge|ociNetwork must be \"isolated\" or \"host\"",
      "ociHostDirs: [usr]|ociHostDirs entries must be absolute paths",
      "ociHostDirs: [\"/opt/../etc\"]|ociHostDirs entries must be absolute paths",
      "runtime: docker|runtime must be \"process\" or \"oci\"",
      "ociNetworks: host|ociNetworks"})
  void badValuesAreRefusedWithTheirKey(String line, String message) throws Exception {
    Path f = yaml(line);
    FornaxException e = assertThrows(FornaxException.class, () -> AgentConfig.load(f));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
