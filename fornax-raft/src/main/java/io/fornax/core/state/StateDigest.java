package io.fornax.core.state;

import com.google.protobuf.Message;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;

/** A SHA-256 over every table's keys and values in order: equal digests mean equal state. */
public final class StateDigest {
  private StateDigest() {}

  public static String of(ResourceState state) {
    return state.read(tables -> {
      MessageDigest md = sha256();
      for (Map.Entry<Table, NavigableMap<String, Message>> t : tables.entrySet()) {
        md.update(t.getKey().columnFamily().getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, Message> e : t.getValue().entrySet()) {
          md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
          md.update(deterministicBytes(e.getValue()));
        }
      }
      return HexFormat.of().formatHex(md.digest());
    });
  }

  /** Map fields serialize in sorted key order, so equal messages give equal bytes. */
  static byte[] deterministicBytes(Message m) {
    try {
      byte[] out = new byte[m.getSerializedSize()];
      com.google.protobuf.CodedOutputStream cos = com.google.protobuf.CodedOutputStream.newInstance(out);
      cos.useDeterministicSerialization();
      m.writeTo(cos);
      cos.checkNoSpaceLeft();
      return out;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
