package io.fornax.api.validation;

import static io.fornax.api.validation.Require.atMost;
import static io.fornax.api.validation.Require.require;
import static io.fornax.api.validation.Require.requireAtMost;
import static io.fornax.api.validation.Require.u32;
import static io.fornax.api.validation.Require.u64;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.TenantQuota;
import java.util.Map;

/**
 * Validation of everything that comes from the network, against {@link Limits}. Each method
 * throws an INVALID_ARGUMENT {@link FornaxException} for the first problem found, in field order.
 * The message names the field as a YAML manifest writes it and says why, with the value, e.g.
 * {@code spec.scaling.maxInstances must be >= minInstances (got 0 < 1)}.
 *
 * <p>Field paths are the protobuf field names in camelCase, with {@code meta} written {@code
 * metadata} and the unit suffixes {@code Ms}, {@code Millis} and {@code Bytes} dropped (the
 * manifest writes {@code openTimeout: 10s}, {@code memory: 512Mi}); the message gives the unit.
 * Map entries are checked in key order, so the same input always reports the same problem.
 */
public final class Validator {
  private Validator() {}

  /**
   * A name of a tenant, application, session, node or port: a DNS label of at most
   * {@value Limits#MAX_NAME_LENGTH} characters.
   *
   * @param field the path reported in the message, e.g. {@code metadata.name}
   */
  public static void validateName(String field, String name) {
    MetaValidator.name(field, name);
  }

  /**
   * Labels: at most {@value Limits#MAX_LABELS}; keys {@code [prefix/]name} with a DNS-subdomain
   * prefix and a name of {@code [A-Za-z0-9._-]}; values {@code [A-Za-z0-9._-]}, possibly empty.
   *
   * @param field the path reported in the message, e.g. {@code metadata.labels}
   */
  public static void validateLabels(String field, Map<String, String> labels) {
    MetaValidator.labels(field, labels);
  }

  /** A label selector of a list or watch: the same rules as labels, reported as labelSelector. */
  public static void validateLabelSelector(Map<String, String> selector) {
    MetaValidator.labels("labelSelector", selector);
  }

  /**
   * An application to create or update. Call it on the result of {@link
   * Defaults#applyApplicationDefaults}: fields left at zero are invalid until defaults fill them.
   */
  public static void validateApplication(Application app) {
    ApplicationValidator.validate(app);
  }

  /** A tenant to create or update: name, labels and a quota no larger than {@link Limits} allow. */
  public static void validateTenant(Tenant t) {
    MetaValidator.name("metadata.name", t.getMeta().getName());
    MetaValidator.labels("metadata.labels", t.getMeta().getLabelsMap());
    TenantQuota q = t.getQuota();
    quotaCount("quota.maxApplications", u32(q.getMaxApplications()));
    quotaCount("quota.maxSessions", u32(q.getMaxSessions()));
    quotaCount("quota.maxInstances", u32(q.getMaxInstances()));
    require(atMost(q.getMaxCpuMillis(), Limits.MAX_QUOTA_CPU_MILLIS),
        "quota.maxCpu must be <= %d millicores, or 0 for unlimited (got %s)",
        Limits.MAX_QUOTA_CPU_MILLIS, u64(q.getMaxCpuMillis()));
    require(atMost(q.getMaxMemoryBytes(), Limits.MAX_QUOTA_MEMORY_BYTES),
        "quota.maxMemory must be <= %d bytes, or 0 for unlimited (got %s)",
        Limits.MAX_QUOTA_MEMORY_BYTES, u64(q.getMaxMemoryBytes()));
  }

  private static void quotaCount(String field, long value) {
    require(value <= Limits.MAX_QUOTA_COUNT, "%s must be <= %d, or 0 for unlimited (got %d)", field,
        Limits.MAX_QUOTA_COUNT, value);
  }

  /**
   * A node registration: name, labels, {@code address} ({@code host} or {@code host:port}),
   * {@code ingressPortRange} (may be 0..0 only on a simulated node) and a non-zero capacity.
   */
  public static void validateNode(Node n) {
    NodeValidator.validate(n);
  }

  /** An agent's connect: its node (as {@link #validateNode}) and an optional lost leader. */
  public static void validateAgentConnect(AgentConnectRequest r) {
    NodeValidator.validate(r.getNode());
    NodeValidator.lostLeader(r.getLostLeader());
  }

  /**
   * A request to open a session: the application's name, the size of the session data, the
   * timeouts (0 means the application's own), the idempotency key, labels and tenant.
   */
  public static void validateOpenSession(OpenSessionRequest r) {
    MetaValidator.name("application", r.getApplication());
    int data = r.getSessionData().size();
    require(data <= Limits.MAX_SESSION_DATA_BYTES, "sessionData is %d bytes; at most %d are allowed",
        data, Limits.MAX_SESSION_DATA_BYTES);
    requireAtMost("openTimeout", r.getOpenTimeoutMs(), Limits.MAX_OPEN_TIMEOUT);
    requireAtMost("closeGracePeriod", r.getCloseGracePeriodMs(), Limits.MAX_CLOSE_GRACE_PERIOD);
    idempotencyKey(r.getIdempotencyKey());
    MetaValidator.labels("labels", r.getLabelsMap());
    MetaValidator.optionalName("tenant", r.getTenant());
  }

  private static void idempotencyKey(String key) {
    require(key.length() <= Limits.MAX_IDEMPOTENCY_KEY_LENGTH,
        "idempotencyKey is %d characters; at most %d are allowed", key.length(),
        Limits.MAX_IDEMPOTENCY_KEY_LENGTH);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      require(c >= 0x20 && c <= 0x7e,
          "idempotencyKey must be printable ASCII (character %d is U+%04X)", i, (int) c);
    }
  }
}
