package io.fornax.shell.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void alignsColumnsAndDashesEmptyCells() {
    String t = new Table("NAME", "STATE", "AGE").row("echo", "", "12s")
        .row("a-much-longer-name", "READY", "3m").render();
    assertEquals("""
        NAME                STATE  AGE
        echo                -      12s
        a-much-longer-name  READY  3m
        """, t);
  }

  @ParameterizedTest
  @CsvSource({"0,0s", "12,12s", "59,59s", "60,1m", "199,3m", "3599,59m", "7200,2h", "86399,23h",
      "345600,4d"})
  void ages(long seconds, String shown) {
    assertEquals(shown, Ages.format(Duration.ofSeconds(seconds)));
  }

  @ParameterizedTest
  @CsvSource({"300,300ms", "30000,30s", "300000,5m", "3600000,1h", "1500,1500ms"})
  void durations(long ms, String shown) {
    assertEquals(shown, Ages.duration(ms));
  }
}
