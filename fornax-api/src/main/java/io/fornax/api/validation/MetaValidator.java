package io.fornax.api.validation;

import static io.fornax.api.validation.Require.quoted;
import static io.fornax.api.validation.Require.require;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Names and labels: the rules shared by every resource, selector and port. */
final class MetaValidator {
  private static final Pattern NAME = Pattern.compile(Limits.NAME_PATTERN);
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile(Limits.DNS_SUBDOMAIN_PATTERN);
  private static final Pattern LABEL_KEY_NAME = Pattern.compile(Limits.LABEL_KEY_NAME_PATTERN);
  private static final Pattern LABEL_VALUE = Pattern.compile(Limits.LABEL_VALUE_PATTERN);

  private MetaValidator() {}

  static void name(String field, String name) {
    require(!name.isEmpty(), "%s is required", field);
    require(name.length() <= Limits.MAX_NAME_LENGTH && NAME.matcher(name).matches(),
        "%s %s is not a valid name: must be lowercase letters, digits and '-', start and end with"
            + " a letter or digit, at most %d characters", field, quoted(name),
        Limits.MAX_NAME_LENGTH);
  }

  /** A name that may be left empty (e.g. a tenant the server fills in). */
  static void optionalName(String field, String name) {
    if (!name.isEmpty()) {
      name(field, name);
    }
  }

  static void labels(String field, Map<String, String> labels) {
    require(labels.size() <= Limits.MAX_LABELS, "%s has %d entries; at most %d are allowed", field,
        labels.size(), Limits.MAX_LABELS);
    // Sorted, so the same input always reports the same first problem.
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      labelKey(field, e.getKey());
      labelValue(field, e.getKey(), e.getValue());
    }
  }

  private static void labelKey(String field, String key) {
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      require(prefix.length() <= Limits.MAX_LABEL_KEY_PREFIX_LENGTH
              && DNS_SUBDOMAIN.matcher(prefix).matches(),
          "%s key %s has an invalid prefix: it must be a DNS subdomain (lowercase letters, digits,"
              + " '-' and '.'), at most %d characters", field, quoted(key),
          Limits.MAX_LABEL_KEY_PREFIX_LENGTH);
    }
    String name = key.substring(slash + 1);
    require(name.length() <= Limits.MAX_LABEL_KEY_NAME_LENGTH
            && LABEL_KEY_NAME.matcher(name).matches(),
        "%s key %s is not valid: after an optional \"prefix/\" it must be 1 to %d letters, digits,"
            + " '-', '_' or '.'", field, quoted(key), Limits.MAX_LABEL_KEY_NAME_LENGTH);
  }

  private static void labelValue(String field, String key, String value) {
    require(value.length() <= Limits.MAX_LABEL_VALUE_LENGTH
            && LABEL_VALUE.matcher(value).matches(),
        "%s[%s] value %s is not valid: must be at most %d letters, digits, '-', '_' or '.'", field,
        key, quoted(value), Limits.MAX_LABEL_VALUE_LENGTH);
  }
}
