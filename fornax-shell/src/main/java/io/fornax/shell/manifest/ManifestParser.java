package io.fornax.shell.manifest;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.Tenant;
import io.fornax.api.validation.Defaults;
import io.fornax.api.validation.Validator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads YAML manifests ({@code ---}-separated documents of kind {@code Application} or {@code
 * Tenant}), expands {@code ${VAR}} from the environment, converts human units, and validates each
 * document with the server's own {@link Validator}. Any problem throws a {@link
 * ManifestException} naming the file, line and field, before anything is applied.
 */
public final class ManifestParser {
  private final Function<String, String> env;

  /** @param env looks up {@code ${NAME}}; null means unset */
  public ManifestParser(Function<String, String> env) {
    this.env = env;
  }

  /** Every document of {@code text}, bound and validated. */
  public List<Manifest> parse(String file, String text) {
    List<Manifest> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (YamlNode node : YamlNode.documents(file, text)) {
      Manifest m = document(file, node);
      if (!seen.add(m.ref())) {
        throw new ManifestException(file, m.line(), "", m.ref() + " appears twice");
      }
      out.add(m);
    }
    if (out.isEmpty()) {
      throw new ManifestException(file, 0, "", "no manifests in the file");
    }
    return out;
  }

  private Manifest document(String file, YamlNode node) {
    Map<String, Integer> lines = new HashMap<>();
    Fields doc = new Fields(new Fields.Doc(file, env, lines), "", node);
    String kind = doc.string("kind", "");
    try {
      switch (kind) {
        case "Application" -> {
          Application app = ApplicationBinder.application(doc);
          Validator.validateApplication(Defaults.applyApplicationDefaults(app));
          return new Manifest(file, node.line, app, null);
        }
        case "Tenant" -> {
          Tenant t = ApplicationBinder.tenant(doc);
          Validator.validateTenant(t);
          return new Manifest(file, node.line, null, t);
        }
        default -> throw new ManifestException(file, lines.getOrDefault("kind", node.line), "kind",
            kind.isEmpty() ? "is required (Application or Tenant)"
                : "must be Application or Tenant (got \"" + kind + "\")");
      }
    } catch (FornaxException e) {
      String message = e.getMessage().startsWith("metadata.")
          ? e.getMessage().substring("metadata.".length()) : e.getMessage();
      throw new ManifestException(file, lineOf(message, lines, node.line), "", message);
    }
  }

  /** The line of the longest recorded field path the validator's message starts with. */
  private static int lineOf(String message, Map<String, Integer> lines, int orElse) {
    int space = message.indexOf(' ');
    String path = space < 0 ? message : message.substring(0, space);
    while (!path.isEmpty()) {
      Integer line = lines.get(path);
      if (line != null) {
        return line;
      }
      int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      path = cut < 0 ? "" : path.substring(0, cut);
    }
    return orElse;
  }
}
