package io.fornax.shell.manifest;

import io.fornax.api.Durations;
import io.fornax.api.FornaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One YAML map of a manifest, read field by field with typed getters. Each getter records the
 * field's line (so a later validation message can name it) and marks the field known; {@link
 * #done()} rejects whatever is left, suggesting the nearest known name.
 */
final class Fields {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  /** What every map of one document shares: the file, the environment, the lines seen. */
  record Doc(String file, Function<String, String> env, Map<String, Integer> lines) {}

  private final Doc doc;
  private final String path;
  private final YamlNode node;
  private final Set<String> known = new LinkedHashSet<>();

  Fields(Doc doc, String path, YamlNode node) {
    this.doc = doc;
    this.path = path;
    this.node = node;
    if (node.type != YamlNode.Type.MAP && node.type != YamlNode.Type.NULL) {
      throw error(node, path, "must be a map (got " + node.typeName() + ")");
    }
  }

  /** The field's node, or null when it is absent or empty. */
  YamlNode field(String key) {
    known.add(key);
    YamlNode n = node.map.get(key);
    if (n == null || n.type == YamlNode.Type.NULL) {
      return null;
    }
    doc.lines.put(at(key), n.line);
    return n;
  }

  String string(String key, String orElse) {
    YamlNode n = field(key);
    return n == null ? orElse : text(n, at(key));
  }

  long count(String key) {
    YamlNode n = field(key);
    if (n == null) {
      return 0;
    }
    if (n.type != YamlNode.Type.INT) {
      throw error(n, at(key), "must be a whole number (got " + n.typeName() + ")");
    }
    long v;
    try {
      v = Long.parseLong(n.text);
    } catch (NumberFormatException e) {
      throw error(n, at(key), "is too large (got " + n.text + ")");
    }
    if (v < 0 || v > 0xFFFF_FFFFL) {
      throw error(n, at(key), "must be 0..4294967295 (got " + v + ")");
    }
    return v;
  }

  boolean bool(String key) {
    YamlNode n = field(key);
    if (n == null) {
      return false;
    }
    if (n.type != YamlNode.Type.BOOL) {
      throw error(n, at(key), "must be true or false (got " + n.typeName() + ")");
    }
    return Boolean.parseBoolean(n.text);
  }

  /** A duration in ms: {@code 300ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
  long durationMs(String key) {
    return quantity(key, s -> {
      try {
        return Durations.parse(s).toMillis();
      } catch (FornaxException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
    });
  }

  /** Millicores: {@code 250m}, {@code 0.5}, {@code 2}. */
  long cpuMillis(String key) {
    return quantity(key, Units::cpuMillis);
  }

  /** Bytes: {@code 128Mi}, {@code 1Gi}, {@code 500M}, a number. */
  long memoryBytes(String key) {
    return quantity(key, Units::memoryBytes);
  }

  private long quantity(String key, ToLongFunction<String> parse) {
    YamlNode n = field(key);
    if (n == null) {
      return 0;
    }
    if (n.type == YamlNode.Type.MAP || n.type == YamlNode.Type.LIST || n.type == YamlNode.Type.BOOL) {
      throw error(n, at(key), "must be a quantity (got " + n.typeName() + ")");
    }
    try {
      return parse.applyAsLong(expand(n, at(key)));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw error(n, at(key), e.getMessage());
    }
  }

  Map<String, String> stringMap(String key) {
    YamlNode n = field(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null) {
      return out;
    }
    if (n.type != YamlNode.Type.MAP) {
      throw error(n, at(key), "must be a map (got " + n.typeName() + ")");
    }
    for (Map.Entry<String, YamlNode> e : n.map.entrySet()) {
      String p = at(key) + "[" + e.getKey() + "]";
      doc.lines.put(p, e.getValue().line);
      out.put(e.getKey(), e.getValue().type == YamlNode.Type.NULL ? "" : text(e.getValue(), p));
    }
    return out;
  }

  List<String> stringList(String key) {
    List<String> out = new ArrayList<>();
    for (YamlNode item : items(key)) {
      String p = at(key) + "[" + out.size() + "]";
      doc.lines.put(p, item.line);
      out.add(text(item, p));
    }
    return out;
  }

  /** A nested map (empty when absent). */
  Fields object(String key) {
    YamlNode n = field(key);
    return new Fields(doc, at(key), n == null ? YamlNode.empty(node.line) : n);
  }

  /** A list of maps (empty when absent). */
  List<Fields> objects(String key) {
    List<Fields> out = new ArrayList<>();
    for (YamlNode item : items(key)) {
      String p = at(key) + "[" + out.size() + "]";
      doc.lines.put(p, item.line);
      out.add(new Fields(doc, p, item));
    }
    return out;
  }

  /** Rejects the first field no getter asked for. */
  void done() {
    for (Map.Entry<String, YamlNode> e : node.map.entrySet()) {
      if (!known.contains(e.getKey())) {
        String near = Suggest.nearest(e.getKey(), known);
        throw error(e.getValue(), at(e.getKey()), "unknown field"
            + (near == null ? " (known: " + String.join(", ", known) + ")"
                : " (did you mean " + near + "?)"));
      }
    }
  }

  int line() {
    return node.line;
  }

  private List<YamlNode> items(String key) {
    YamlNode n = field(key);
    if (n == null) {
      return List.of();
    }
    if (n.type != YamlNode.Type.LIST) {
      throw error(n, at(key), "must be a list (got " + n.typeName() + ")");
    }
    return n.list;
  }

  private String text(YamlNode n, String p) {
    if (n.type == YamlNode.Type.MAP || n.type == YamlNode.Type.LIST) {
      throw error(n, p, "must be a string (got " + n.typeName() + ")");
    }
    return expand(n, p);
  }

  /** {@code ${NAME}} from the environment; an unset variable is an error. */
  private String expand(YamlNode n, String p) {
    Matcher m = VAR.matcher(n.text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = doc.env.apply(m.group(1));
      if (value == null) {
        throw error(n, p, "environment variable " + m.group(1) + " is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private ManifestException error(YamlNode n, String p, String message) {
    return new ManifestException(doc.file, n.line, p, message);
  }

}
