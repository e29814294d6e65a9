package io.fornax.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fornax.api.FornaxException;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in YAML: {@code 300ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
public final class Durations {
  private static final Pattern HUMAN = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String text) {
    String s = text.trim();
    Matcher m = HUMAN.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(s);
    } catch (RuntimeException e) {
      throw FornaxException.invalid(
          "\"%s\" is not a duration: write e.g. 300ms, 10s, 5m, 1h or 2d", text);
    }
  }

  /** Jackson support for {@link Duration} fields. */
  public static SimpleModule jacksonModule() {
    SimpleModule m = new SimpleModule("fornax-durations");
    m.addDeserializer(Duration.class, new JsonDeserializer<>() {
      @Override
      public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        try {
          return parse(p.getValueAsString());
        } catch (FornaxException e) {
          throw ctx.weirdStringException(p.getValueAsString(), Duration.class, e.getMessage());
        }
      }
    });
    return m;
  }
}
