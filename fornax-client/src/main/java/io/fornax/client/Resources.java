package io.fornax.client;

import io.fornax.api.proto.Kind;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Resource;
import java.util.Locale;

/** Small helpers over the {@link Resource} union and the state enums. */
public final class Resources {
  private Resources() {}

  /** The metadata of whichever kind {@code r} holds. */
  public static ObjectMeta meta(Resource r) {
    return io.fornax.api.Resources.meta(r);
  }

  /** The {@link Kind} {@code r} holds. */
  public static Kind kind(Resource r) {
    return io.fornax.api.Resources.kind(r);
  }

  /**
   * A state's short name: {@code SESSION_AVAILABLE} is "AVAILABLE", {@code NODE_NOT_READY} is
   * "NOT_READY".
   */
  public static String state(Enum<?> state) {
    String n = state.name();
    int cut = n.indexOf('_');
    return cut < 0 || n.endsWith("UNSPECIFIED") ? n : n.substring(cut + 1);
  }

  /**
   * The kind named by a user: singular or plural, any case, or a short form ("apps", "app",
   * "sessions", "node", "inst").
   *
   * @throws InvalidArgumentException for anything else
   */
  public static Kind parseKind(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return switch (n) {
      case "tenant", "tenants" -> Kind.TENANT;
      case "app", "apps", "application", "applications" -> Kind.APPLICATION;
      case "session", "sessions", "sess" -> Kind.SESSION;
      case "node", "nodes", "no" -> Kind.NODE;
      case "instance", "instances", "inst" -> Kind.INSTANCE;
      default -> throw new InvalidArgumentException(io.fornax.api.proto.ErrorCode.INVALID_ARGUMENT,
          "unknown kind \"" + name + "\" (one of tenants, apps, sessions, nodes, instances)");
    };
  }
}
