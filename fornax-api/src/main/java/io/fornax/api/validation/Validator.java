package io.fornax.api.validation;

import static io.fornax.api.validation.Check.check;

import io.fornax.api.proto.Node;
import io.fornax.api.proto.OpenSessionRequest;
import io.fornax.api.proto.Tenant;
import io.fornax.api.proto.TenantQuota;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validation of everything that comes from the network. Each method throws an INVALID_ARGUMENT
 * {@link io.fornax.api.FornaxException} for the first problem, naming the field as written in a
 * YAML manifest (e.g. {@code spec.scaling.maxInstances}) and why.
 */
public final class Validator {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]+");
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.:\\[\\]-]+");

  private Validator() {}

  public static void validateName(String field, String name) {
    check(!name.isEmpty(), "%s is required", field);
    check(name.length() <= Limits.MAX_NAME && NAME.matcher(name).matches(),
        "%s \"%s\" is not a valid name: use lowercase letters, digits and '-', start and end with"
            + " a letter or digit, at most %d characters", field, Check.shorten(name),
        Limits.MAX_NAME);
  }

  public static void validateLabels(String field, Map<String, String> labels) {
    check(labels.size() <= Limits.MAX_LABELS, "%s has %d entries; at most %d are allowed", field,
        labels.size(), Limits.MAX_LABELS);
    for (Map.Entry<String, String> e : labels.entrySet()) {
      validateLabelKey(field, e.getKey());
      check(e.getValue().length() <= Limits.MAX_LABEL_VALUE
              && LABEL_VALUE.matcher(e.getValue()).matches(),
          "%s[%s] value \"%s\" is not valid: letters, digits, '-', '_' and '.', at most %d"
              + " characters", field, e.getKey(), Check.shorten(e.getValue()), Limits.MAX_LABEL_VALUE);
    }
  }

  private static void validateLabelKey(String field, String key) {
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? "" : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    check(slash < 0 || (prefix.length() <= Limits.MAX_LABEL_KEY_PREFIX
            && DNS_SUBDOMAIN.matcher(prefix).matches()),
        "%s key \"%s\" has an invalid prefix: it must be a DNS subdomain", field, Check.shorten(key));
    check(!name.isEmpty() && name.length() <= Limits.MAX_LABEL_KEY_NAME
            && LABEL_NAME.matcher(name).matches(),
        "%s key \"%s\" is not valid: letters, digits, '-', '_' and '.', at most %d characters,"
            + " optionally after a \"prefix/\"", field, Check.shorten(key), Limits.MAX_LABEL_KEY_NAME);
  }

  public static void validateLabelSelector(Map<String, String> selector) {
    validateLabels("labelSelector", selector);
  }

  public static void validateApplication(io.fornax.api.proto.Application app) {
    ApplicationChecks.validate(app);
  }

  public static void validateTenant(Tenant t) {
    validateName("metadata.name", t.getMeta().getName());
    validateLabels("metadata.labels", t.getMeta().getLabelsMap());
    TenantQuota q = t.getQuota();
    check(q.getMaxInstances() <= Limits.MAX_INSTANCES * 10L,
        "quota.maxInstances must be <= %d (got %d)", Limits.MAX_INSTANCES * 10, q.getMaxInstances());
    check(q.getMaxMemoryBytes() <= Limits.MAX_MEMORY_BYTES * 1024,
        "quota.maxMemoryBytes is too large (got %d)", q.getMaxMemoryBytes());
  }

  public static void validateNode(Node n) {
    validateName("metadata.name", n.getMeta().getName());
    validateLabels("metadata.labels", n.getMeta().getLabelsMap());
    String address = n.getSpec().getAddress();
    check(!address.isEmpty(), "spec.address is required");
    check(address.length() <= Limits.MAX_ADDRESS && ADDRESS.matcher(address).matches(),
        "spec.address \"%s\" is not a host or host:port", Check.shorten(address));
    int from = n.getSpec().getIngressPortRange().getFrom();
    int to = n.getSpec().getIngressPortRange().getTo();
    if (from != 0 || to != 0 || !n.getSpec().getSimulated()) {
      check(from >= 1 && to <= 65535 && from <= to,
          "spec.ingressPortRange must satisfy 1 <= from <= to <= 65535 (got %d..%d)", from, to);
    }
    var cap = n.getSpec().getCapacity();
    check(cap.getCpuMillis() > 0, "spec.capacity.cpuMillis must be > 0");
    check(cap.getMemoryBytes() > 0, "spec.capacity.memoryBytes must be > 0");
    check(cap.getMaxInstances() > 0, "spec.capacity.maxInstances must be > 0");
  }

  public static void validateOpenSession(OpenSessionRequest r) {
    validateName("application", r.getApplication());
    check(r.getSessionData().size() <= Limits.MAX_SESSION_DATA,
        "sessionData is %d bytes; at most %d are allowed", r.getSessionData().size(),
        Limits.MAX_SESSION_DATA);
    check(r.getOpenTimeoutMs() <= Limits.MAX_OPEN_TIMEOUT_MS,
        "openTimeout must be <= 1h (got %d ms)", r.getOpenTimeoutMs());
    check(r.getCloseGracePeriodMs() <= Limits.MAX_CLOSE_GRACE_MS,
        "closeGracePeriod must be <= 10m (got %d ms)", r.getCloseGracePeriodMs());
    String key = r.getIdempotencyKey();
    check(key.isEmpty() || (key.length() <= Limits.MAX_IDEMPOTENCY_KEY
            && PRINTABLE.matcher(key).matches()),
        "idempotencyKey must be at most %d printable ASCII characters without spaces",
        Limits.MAX_IDEMPOTENCY_KEY);
    validateLabels("labels", r.getLabelsMap());
  }
}
