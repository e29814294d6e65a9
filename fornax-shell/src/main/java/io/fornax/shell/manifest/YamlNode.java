package io.fornax.shell.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on: Jackson's tree model drops locations, and every
 * manifest error names its line.
 */
final class YamlNode {
  enum Type { MAP, LIST, STRING, INT, FLOAT, BOOL, NULL }

  final Type type;
  final int line;
  final String text;
  final Map<String, YamlNode> map;
  final List<YamlNode> list;

  private YamlNode(Type type, int line, String text, Map<String, YamlNode> map, List<YamlNode> list) {
    this.type = type;
    this.line = line;
    this.text = text;
    this.map = map;
    this.list = list;
  }

  /** An absent map, reported at {@code line}. */
  static YamlNode empty(int line) {
    return scalar(Type.NULL, line, "");
  }

  /** What a type is called in an error message. */
  String typeName() {
    return switch (type) {
      case MAP -> "a map";
      case LIST -> "a list";
      case STRING -> "a string";
      case INT -> "an integer";
      case FLOAT -> "a number";
      case BOOL -> "a boolean";
      case NULL -> "empty";
    };
  }

  /** Every document of a {@code ---}-separated stream; empty documents are dropped. */
  static List<YamlNode> documents(String file, String text) {
    List<YamlNode> docs = new ArrayList<>();
    try (JsonParser p = new YAMLFactory().createParser(text)) {
      while (p.nextToken() != null) {
        YamlNode doc = read(p);
        if (doc.type != Type.NULL) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
          && jpe.getLocation() != null ? jpe.getLocation().getLineNr() : 0;
      String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
          ? jpe.getOriginalMessage() : e.getMessage();
      throw new ManifestException(file, line, "", "not valid YAML: " + firstLine(msg));
    }
    return docs;
  }

  private static YamlNode read(JsonParser p) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, YamlNode> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          m.put(key, read(p));
        }
        return new YamlNode(Type.MAP, line, "", m, List.of());
      }
      case START_ARRAY -> {
        List<YamlNode> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(read(p));
        }
        return new YamlNode(Type.LIST, line, "", Map.of(), l);
      }
      case VALUE_NUMBER_INT -> {
        return scalar(Type.INT, line, p.getText());
      }
      case VALUE_NUMBER_FLOAT -> {
        return scalar(Type.FLOAT, line, p.getText());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return scalar(Type.BOOL, line, p.getText());
      }
      case VALUE_NULL -> {
        return scalar(Type.NULL, line, "");
      }
      default -> {
        return scalar(Type.STRING, line, p.getText());
      }
    }
  }

  private static YamlNode scalar(Type type, int line, String text) {
    return new YamlNode(type, line, text, Collections.emptyMap(), List.of());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
