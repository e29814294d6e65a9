package io.fornax.core.state;

import com.google.protobuf.Message;
import io.fornax.api.Nullable;

/** One staged write: a put ({@code value != null}) or a delete of {@code key} in {@code table}. */
public record Change(Table table, String key, @Nullable Message value, @Nullable Message previous) {
  public boolean isDelete() {
    return value == null;
  }
}
