package io.fornax.shell.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A protobuf message as a Jackson tree for {@code -o json} and {@code -o yaml}: camelCase field
 * names as in proto3 JSON, enums by name, maps as objects, numbers as numbers (not strings, which
 * protobuf's JsonFormat uses for 64-bit values), fields at their default left out, and never a
 * token hash.
 */
public final class ProtoTree {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ProtoTree() {}

  public static ObjectNode of(Message m) {
    ObjectNode out = F.objectNode();
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (f.getName().equals("token_hash")) {
        continue;
      }
      out.set(f.getJsonName(), field(f, e.getValue()));
    }
    return out;
  }

  public static ArrayNode of(List<? extends Message> items) {
    ArrayNode out = F.arrayNode();
    items.forEach(m -> out.add(of(m)));
    return out;
  }

  private static JsonNode field(FieldDescriptor f, Object value) {
    if (f.isMapField()) {
      ObjectNode map = F.objectNode();
      for (Object o : (List<?>) value) {
        MapEntry<?, ?> entry = (MapEntry<?, ?>) o;
        FieldDescriptor valueField = f.getMessageType().findFieldByName("value");
        map.set(String.valueOf(entry.getKey()), single(valueField, entry.getValue()));
      }
      return map;
    }
    if (f.isRepeated()) {
      ArrayNode list = F.arrayNode();
      ((List<?>) value).forEach(v -> list.add(single(f, v)));
      return list;
    }
    return single(f, value);
  }

  private static JsonNode single(FieldDescriptor f, Object v) {
    return switch (f.getJavaType()) {
      case MESSAGE -> of((Message) v);
      case ENUM -> F.textNode(((EnumValueDescriptor) v).getName());
      case BYTE_STRING -> F.textNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
      case INT -> unsigned(f) ? F.numberNode(Integer.toUnsignedLong((Integer) v))
          : F.numberNode((Integer) v);
      case LONG -> unsigned(f) ? F.numberNode(new java.math.BigInteger(
          Long.toUnsignedString((Long) v))) : F.numberNode((Long) v);
      case BOOLEAN -> F.booleanNode((Boolean) v);
      case FLOAT -> F.numberNode((Float) v);
      case DOUBLE -> F.numberNode((Double) v);
      case STRING -> F.textNode((String) v);
    };
  }

  private static boolean unsigned(FieldDescriptor f) {
    FieldDescriptor.Type t = f.getType();
    return t == FieldDescriptor.Type.UINT32 || t == FieldDescriptor.Type.UINT64
        || t == FieldDescriptor.Type.FIXED32 || t == FieldDescriptor.Type.FIXED64;
  }
}
