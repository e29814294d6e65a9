package io.fornax.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fornax.api.FornaxException;
import java.io.IOException;
import java.time.Duration;

/** Jackson support for {@link Duration} fields written as {@code 300ms}, {@code 10s}, ... */
public final class Durations {
  private Durations() {}

  public static Duration parse(String text) {
    return io.fornax.api.Durations.parse(text);
  }

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
