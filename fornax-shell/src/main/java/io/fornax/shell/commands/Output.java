package io.fornax.shell.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.Message;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Resource;
import io.fornax.client.Resources;
import io.fornax.shell.output.Columns;
import io.fornax.shell.output.ProtoTree;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;

/** {@code -o}: an aligned table, a wider one, or machine-readable JSON or YAML. */
public enum Output {
  table, wide, json, yaml;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();

  /** Prints {@code items}: a table, or a JSON/YAML list (a single object when {@code one}). */
  public void print(PrintWriter out, Kind kind, List<Resource> items, boolean one, Clock clock) {
    if (this == table || this == wide) {
      out.print(Columns.table(kind, items, this == wide, clock).render());
    } else {
      JsonNode tree = one ? ProtoTree.of(unwrap(items.get(0)))
          : ProtoTree.of(items.stream().map(Output::unwrap).toList());
      write(out, tree);
    }
    out.flush();
  }

  /** Prints one message as JSON or YAML (tables are the caller's). */
  public void write(PrintWriter out, JsonNode tree) {
    try {
      out.print(this == yaml ? YAML.writeValueAsString(tree)
          : JSON.writeValueAsString(tree) + System.lineSeparator());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean machine() {
    return this == json || this == yaml;
  }

  static Message unwrap(Resource r) {
    return switch (Resources.kind(r)) {
      case APPLICATION -> r.getApplication();
      case SESSION -> r.getSession();
      case NODE -> r.getNode();
      case INSTANCE -> r.getInstance();
      default -> r.getTenant();
    };
  }
}
