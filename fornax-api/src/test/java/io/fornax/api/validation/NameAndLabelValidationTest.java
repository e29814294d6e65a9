package io.fornax.api.validation;

import static io.fornax.api.validation.Rejections.NAME_RULE;
import static io.fornax.api.validation.Rejections.messageOf;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NameAndLabelValidationTest {
  @ParameterizedTest
  @ValueSource(strings = {"a", "0", "echo", "my-app-2", "0abc", "a-b-c", "a--b"})
  void goodNames(String name) {
    assertDoesNotThrow(() -> Validator.validateName("metadata.name", name));
  }

  @Test
  void aNameOf63CharactersIsGoodAnd64IsNot() {
    assertDoesNotThrow(() -> Validator.validateName("metadata.name", "a".repeat(63)));
    String msg = messageOf(() -> Validator.validateName("metadata.name", "a".repeat(64)));
    assertEquals("metadata.name \"" + "a".repeat(64) + "\" " + NAME_RULE, msg);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Foo", "a_b", "-a", "a-", "-", "a.b", "ä", "a b", " a", "a\n", "a/b"})
  void badNames(String name) {
    assertTrue(messageOf(() -> Validator.validateName("spec.ports[2].name", name))
        .startsWith("spec.ports[2].name \""));
  }

  @Test
  void aBadNameIsNamedWithTheRule() {
    assertEquals("metadata.name \"Foo_1\" " + NAME_RULE,
        messageOf(() -> Validator.validateName("metadata.name", "Foo_1")));
    assertEquals("name is required", messageOf(() -> Validator.validateName("name", "")));
  }

  @Test
  void userInputIsEscapedAndShortenedInMessages() {
    String msg = messageOf(() -> Validator.validateName("metadata.name", "x\"\n" + "y".repeat(5000)));
    assertTrue(msg.startsWith("metadata.name \"x\\\"\\u000ay"), msg);
    assertTrue(msg.contains("y...\" is not a valid name"), msg);
    assertTrue(msg.length() < 300, "huge input is not echoed whole");
  }

  @ParameterizedTest
  @ValueSource(strings = {"team", "a", "A_b.c-D", "x/y", "app.kubernetes.io/name",
      "fornax.io/zone", "-dash-start", "0/x"})
  void goodLabelKeys(String key) {
    assertDoesNotThrow(() -> Validator.validateLabels("metadata.labels", Map.of(key, "v")));
  }

  static Stream<String> longLabelKeys() {
    return Stream.of("k".repeat(63), "p".repeat(253) + "/" + "k".repeat(63),
        "a".repeat(63) + "." + "b".repeat(63) + ".io/k");
  }

  @ParameterizedTest
  @MethodSource("longLabelKeys")
  void labelKeysAtTheLengthLimitsPass(String key) {
    assertDoesNotThrow(() -> Validator.validateLabels("metadata.labels", Map.of(key, "v")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "x/", "bad key", "a/b/c", "é", "k=v", "a:b"})
  void badLabelKeyNames(String key) {
    assertEquals("metadata.labels key \"" + key + "\" is not valid: after an optional \"prefix/\""
            + " it must be 1 to 63 letters, digits, '-', '_' or '.'",
        messageOf(() -> Validator.validateLabels("metadata.labels", Map.of(key, "v"))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/x", "Fornax.io/x", "-a.io/x", "a..b/x", "a_b/x", "a./x", "ä/x"})
  void badLabelKeyPrefixes(String key) {
    assertEquals("metadata.labels key \"" + key + "\" has an invalid prefix: it must be a DNS"
            + " subdomain (lowercase letters, digits, '-' and '.'), at most 253 characters",
        messageOf(() -> Validator.validateLabels("metadata.labels", Map.of(key, "v"))));
  }

  @Test
  void labelKeyPartsOverTheirLengthsAreRejected() {
    String longName = "k".repeat(64);
    assertTrue(messageOf(() -> Validator.validateLabels("l", Map.of(longName, "")))
        .contains("is not valid: after an optional"));
    String longPrefix = "p".repeat(254) + "/k";
    assertTrue(messageOf(() -> Validator.validateLabels("l", Map.of(longPrefix, "")))
        .contains("has an invalid prefix"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "v", "1.2.3", "a_b-c", "-", "UPPER"})
  void goodLabelValues(String value) {
    assertDoesNotThrow(() -> Validator.validateLabels("metadata.labels", Map.of("k", value)));
    assertDoesNotThrow(() -> Validator.validateLabels("metadata.labels",
        Map.of("k", value + "x".repeat(63 - value.length()))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "a/b", "é", "a=b", "a\tb"})
  void badLabelValues(String value) {
    String msg = messageOf(() -> Validator.validateLabels("metadata.labels", Map.of("k", value)));
    assertTrue(msg.startsWith("metadata.labels[k] value \""), msg);
    assertTrue(msg.endsWith("\" is not valid: must be at most 63 letters, digits, '-', '_' or '.'"),
        msg);
  }

  @Test
  void aLabelValueOver63CharactersIsRejected() {
    assertTrue(messageOf(() -> Validator.validateLabels("metadata.labels",
        Map.of("k", "v".repeat(64)))).startsWith("metadata.labels[k] value \"vvv"));
  }

  @Test
  void atMost64Labels() {
    assertDoesNotThrow(() -> Validator.validateLabels("metadata.labels", labels(64)));
    assertEquals("metadata.labels has 65 entries; at most 64 are allowed",
        messageOf(() -> Validator.validateLabels("metadata.labels", labels(65))));
  }

  @Test
  void labelProblemsAreReportedInKeyOrder() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("z", "bad value");
    labels.put("b", "bad value");
    assertTrue(messageOf(() -> Validator.validateLabels("metadata.labels", labels))
        .startsWith("metadata.labels[b] value"));
  }

  @Test
  void labelSelectorsFollowTheLabelRules() {
    assertDoesNotThrow(() -> Validator.validateLabelSelector(Map.of("zone", "a", "gpu", "")));
    assertEquals("labelSelector[zone] value \"a b\" is not valid: must be at most 63 letters,"
            + " digits, '-', '_' or '.'",
        messageOf(() -> Validator.validateLabelSelector(Map.of("zone", "a b"))));
    assertEquals("labelSelector has 65 entries; at most 64 are allowed",
        messageOf(() -> Validator.validateLabelSelector(labels(65))));
  }

  private static Map<String, String> labels(int n) {
    Map<String, String> labels = new HashMap<>();
    IntStream.range(0, n).forEach(i -> labels.put("k" + i, "v"));
    return labels;
  }
}
