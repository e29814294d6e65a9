package io.fornax.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequireTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "é", "€uro", "😀", "a😀b€", "\u0000"})
  void utf8LengthMatchesTheEncoder(String s) {
    assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Require.utf8Length(s));
  }

  @Test
  void quotedEscapesAndShortens() {
    assertEquals("\"a\\\"b\\\\c\\u0009\"", Require.quoted("a\"b\\c\t"));
    assertEquals("\"" + "x".repeat(80) + "\"", Require.quoted("x".repeat(80)));
    assertEquals("\"" + "x".repeat(80) + "...\"", Require.quoted("x".repeat(81)));
  }

  @ParameterizedTest
  @CsvSource({"604800000, 7d", "3600000, 1h", "600000, 10m", "10000, 10s", "90000, 90s",
      "1500, 1500ms", "0, 0ms"})
  void durationsAreWrittenAsTheManifestWritesThem(long ms, String expected) {
    assertEquals(expected, Require.human(Duration.ofMillis(ms)));
  }
}
