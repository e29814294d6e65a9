package io.fornax.shell.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {
  @ParameterizedTest
  @CsvSource({"134217728, 128Mi", "1073741824, 1Gi", "1500, 1.5Ki", "1000, 1000",
      "25276502016, 23.5Gi", "0, 0"})
  void bytesAreShownShort(long bytes, String shown) {
    assertEquals(shown, Units.formatBytes(bytes));
  }

  @ParameterizedTest
  @CsvSource({"250, 250m", "2000, 2", "0, 0m"})
  void cpuIsShownInCoresOrMillicores(long millis, String shown) {
    assertEquals(shown, Units.formatCpu(millis));
  }
}
