package io.fornax.core.state;

import com.google.protobuf.Message;

/** Receives stored state when a replica starts or restores a snapshot. */
public interface ResourceStateLoader {
  void load(Table table, String key, Message value);

  void loadApplied(long term, long index);

  /** A loader that fills {@code state}. */
  static ResourceStateLoader into(ResourceState state) {
    return new ResourceStateLoader() {
      @Override
      public void load(Table table, String key, Message value) {
        state.load(table, key, value);
      }

      @Override
      public void loadApplied(long term, long index) {
        state.loadApplied(term, index);
      }
    };
  }
}
