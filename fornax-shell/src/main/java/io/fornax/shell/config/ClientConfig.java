package io.fornax.shell.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fornax.api.Nullable;
import io.fornax.shell.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where the cluster is and who we are, each setting taken from the first place that has it:
 * flags ({@code --endpoints}, {@code --token}, {@code --tenant}, {@code --context}), then the
 * environment ({@code FORNAX_ENDPOINTS}, {@code FORNAX_TOKEN}, {@code FORNAX_TENANT}, {@code
 * FORNAX_CONTEXT}), then the chosen context of the config file ({@code $FORNAX_CONFIG}, else
 * {@code ~/.fornax/config}), then the local cluster's default endpoints.
 *
 * @param endpoints the replicas' API addresses
 * @param token the token, null if none was found anywhere
 * @param tenant the tenant an admin token acts on; empty for none
 * @param configFile the config file consulted (it may not exist)
 */
public record ClientConfig(List<String> endpoints, @Nullable String token, String tenant,
    Path configFile) {
  /** The endpoints when nothing names any: the local cluster of {@code bin/fornax local}. */
  public static final List<String> LOCAL =
      List.of("127.0.0.1:9881", "127.0.0.1:9882", "127.0.0.1:9883");

  /** What was given on the command line; null where a flag was not given. */
  public record Flags(@Nullable String endpoints, @Nullable String token, @Nullable String tenant,
      @Nullable String context) {}

  /**
   * Resolves every setting.
   *
   * @param env the environment (a seam: tests pass a map's {@code get})
   * @param home the user's home directory, for {@code ~/.fornax/config}
   * @throws UsageException if the config file is unreadable or names no such context
   */
  public static ClientConfig resolve(Flags flags, Function<String, String> env, Path home) {
    Path file = configFile(env, home);
    String contextName = first(flags.context(), env.apply("FORNAX_CONTEXT"), null);
    JsonNode context = context(file, contextName);
    String endpoints = first(flags.endpoints(), env.apply("FORNAX_ENDPOINTS"),
        joined(context.path("endpoints")));
    String token = first(flags.token(), env.apply("FORNAX_TOKEN"), text(context, "token"));
    String tenant = first(flags.tenant(), env.apply("FORNAX_TENANT"), text(context, "tenant"));
    return new ClientConfig(endpoints == null ? LOCAL : split(endpoints), token,
        tenant == null ? "" : tenant, file);
  }

  /** {@code $FORNAX_CONFIG}, else {@code ~/.fornax/config}. */
  public static Path configFile(Function<String, String> env, Path home) {
    String explicit = env.apply("FORNAX_CONFIG");
    return explicit != null && !explicit.isBlank() ? Path.of(explicit)
        : home.resolve(".fornax").resolve("config");
  }

  private static JsonNode context(Path file, @Nullable String name) {
    if (!Files.isRegularFile(file)) {
      if (name != null) {
        throw new UsageException("context \"" + name + "\" asked for, but there is no config"
            + " file " + file);
      }
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UsageException("cannot read config file " + file + ": " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    String chosen = name != null ? name : text(root, "current");
    if (chosen == null) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    JsonNode ctx = root.path("contexts").path(chosen);
    if (ctx.isMissingNode()) {
      throw new UsageException("config file " + file + " has no context \"" + chosen + "\"");
    }
    return ctx;
  }

  private static @Nullable String joined(JsonNode list) {
    if (list.isTextual()) {
      return list.asText();
    }
    if (!list.isArray() || list.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    list.forEach(n -> parts.add(n.asText()));
    return String.join(",", parts);
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isValueNode() && !v.asText().isBlank() ? v.asText() : null;
  }

  private static @Nullable String first(@Nullable String a, @Nullable String b,
      @Nullable String c) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    if (b != null && !b.isBlank()) {
      return b;
    }
    return c;
  }

  private static List<String> split(String endpoints) {
    List<String> out = new ArrayList<>();
    for (String part : endpoints.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }
}
