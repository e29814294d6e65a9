package io.fornax.shell.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped examples parse and pass validation. */
class ExamplesTest {
  @ParameterizedTest
  @ValueSource(strings = {"echo.yaml", "counter.yaml"})
  void examplesAreValid(String file) throws Exception {
    Path p = Path.of("..", "conf", "examples", file);
    List<Manifest> ms = new ManifestParser(name -> "/opt/fornax/lib/*")
        .parse(file, Files.readString(p));
    assertEquals(1, ms.size());
    assertTrue(ms.get(0).application().getSpec().getRuntime().getArgs(1).equals("/opt/fornax/lib/*"));
  }
}
