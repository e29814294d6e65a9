package io.fornax.core.state;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.StringValue;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.Tenant;

/** A table of replicated state: one RocksDB column family and one in-memory map each. */
public enum Table {
  TENANTS("tenants", Kind.TENANT, Tenant.parser()),
  APPLICATIONS("applications", Kind.APPLICATION, Application.parser()),
  SESSIONS("sessions", Kind.SESSION, Session.parser()),
  NODES("nodes", Kind.NODE, Node.parser()),
  INSTANCES("instances", Kind.INSTANCE, Instance.parser()),
  /** tenant/idempotency-key → session name, so a retried open returns the first session. */
  IDEMPOTENCY("idempotency", null, StringValue.parser());

  private final String columnFamily;
  private final Kind kind;
  private final Parser<? extends Message> parser;

  Table(String columnFamily, Kind kind, Parser<? extends Message> parser) {
    this.columnFamily = columnFamily;
    this.kind = kind;
    this.parser = parser;
  }

  public String columnFamily() {
    return columnFamily;
  }

  /** The API kind stored here, or null for internal tables. */
  public Kind kind() {
    return kind;
  }

  public Message parse(byte[] bytes) {
    try {
      return parser.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt value in table " + this, e);
    }
  }

  /** Cluster-scoped kinds are keyed by name alone; the others by tenant/name. */
  public boolean tenantScoped() {
    return this == APPLICATIONS || this == SESSIONS || this == INSTANCES || this == IDEMPOTENCY;
  }

  public static Table of(Kind kind) {
    for (Table t : values()) {
      if (t.kind == kind) {
        return t;
      }
    }
    throw new IllegalArgumentException("no table for kind " + kind);
  }

  public String key(String tenant, String name) {
    return tenantScoped() ? tenant + "/" + name : name;
  }
}
