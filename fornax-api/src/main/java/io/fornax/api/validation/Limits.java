package io.fornax.api.validation;

import java.time.Duration;

/**
 * Limits and formats of everything that comes from the network, enforced by {@link Validator}.
 * The fornax-api README has the same table; keep the two in step.
 *
 * <p>Sizes in bytes are UTF-8 bytes. Every count is small enough to fit a Java {@code int}, so
 * protobuf {@code uint32} fields above {@link Integer#MAX_VALUE} (which Java reads as negative)
 * never get past validation.
 */
public final class Limits {
  private Limits() {}

  // ---------------------------------------------------------------- wire

  /** Largest frame (one {@code Request} or {@code Response}) on the wire: 4 MiB. */
  public static final int MAX_FRAME_BYTES = 4 << 20;

  // ---------------------------------------------------------------- names and labels

  /** Longest name of a tenant, application, session, node or port (a DNS label). */
  public static final int MAX_NAME_LENGTH = 63;
  /** Names are DNS labels: lowercase letters, digits and '-', starting and ending alphanumeric. */
  public static final String NAME_PATTERN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  /** Most labels on one resource; also the most entries of a node selector or label selector. */
  public static final int MAX_LABELS = 64;
  /** Longest optional {@code prefix/} of a label key (a DNS subdomain), without the slash. */
  public static final int MAX_LABEL_KEY_PREFIX_LENGTH = 253;
  /** The optional prefix of a label key: dot-separated DNS labels. */
  public static final String DNS_SUBDOMAIN_PATTERN = NAME_PATTERN + "(\\." + NAME_PATTERN + ")*";
  /** Longest name part of a label key (after the optional prefix). */
  public static final int MAX_LABEL_KEY_NAME_LENGTH = 63;
  /** The name part of a label key; never empty. */
  public static final String LABEL_KEY_NAME_PATTERN = "[A-Za-z0-9._-]+";
  /** Longest label value. */
  public static final int MAX_LABEL_VALUE_LENGTH = 63;
  /** A label value; may be empty. */
  public static final String LABEL_VALUE_PATTERN = "[A-Za-z0-9._-]*";

  // ---------------------------------------------------------------- runtime

  /** Most environment variables of an application. */
  public static final int MAX_ENV_ENTRIES = 256;
  /** Longest environment variable name. */
  public static final int MAX_ENV_KEY_LENGTH = 256;
  /** Environment variable names: what every shell accepts. */
  public static final String ENV_KEY_PATTERN = "[A-Za-z_][A-Za-z0-9_]*";
  /** Largest environment variable value: 32 KiB. */
  public static final int MAX_ENV_VALUE_BYTES = 32 << 10;
  /** Most command-line arguments. */
  public static final int MAX_ARGS = 256;
  /** Largest single argument: 4 KiB. */
  public static final int MAX_ARG_BYTES = 4 << 10;
  /** Largest command: 4 KiB. */
  public static final int MAX_COMMAND_BYTES = 4 << 10;
  /** Largest {@code workingDir}, {@code image} or {@code rootfs}: 4 KiB, like Linux PATH_MAX. */
  public static final int MAX_PATH_BYTES = 4 << 10;
  /** Runtime class of the process runtime (runs {@code command} directly on the node). */
  public static final String RUNTIME_PROCESS = "process";
  /** Runtime class of the OCI runtime (runs {@code image} or {@code rootfs} in a container). */
  public static final String RUNTIME_OCI = "oci";

  // ---------------------------------------------------------------- ports

  /** Most ports of an application. */
  public static final int MAX_PORTS = 16;
  /** Smallest port number. */
  public static final int MIN_PORT = 1;
  /** Largest port number. */
  public static final int MAX_PORT = 65_535;
  /** Port protocol TCP; the default when {@code protocol} is empty. */
  public static final String PROTOCOL_TCP = "tcp";
  /** Port protocol UDP. */
  public static final String PROTOCOL_UDP = "udp";

  // ---------------------------------------------------------------- resources and scaling

  /** Most CPU per instance: 1,000,000 millicores (1000 cores). */
  public static final int MAX_CPU_MILLIS = 1_000_000;
  /** Most memory per instance: 1 TiB. */
  public static final long MAX_MEMORY_BYTES = 1L << 40;
  /** Most instances of one application; also bounds {@code idleSessionsHigh} and {@code burst}. */
  public static final int MAX_INSTANCES = 100_000;
  /** Most sessions sharing one instance. */
  public static final int MAX_SESSIONS_PER_INSTANCE = 1_000;
  /** Longest {@code idleTimeout}: an idle instance is reaped within a week. */
  public static final Duration MAX_IDLE_TIMEOUT = Duration.ofDays(7);

  // ---------------------------------------------------------------- sessions

  /** Largest opaque session data: 64 KiB. */
  public static final int MAX_SESSION_DATA_BYTES = 64 << 10;
  /** Longest idempotency key; its characters are printable ASCII (0x20..0x7E). */
  public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;
  /** Longest {@code openTimeout}. */
  public static final Duration MAX_OPEN_TIMEOUT = Duration.ofHours(1);
  /** Longest {@code closeGracePeriod}. */
  public static final Duration MAX_CLOSE_GRACE_PERIOD = Duration.ofMinutes(10);

  // ---------------------------------------------------------------- nodes

  /** Longest node address ({@code host} or {@code host:port}), the length of a DNS name. */
  public static final int MAX_ADDRESS_LENGTH = 253;
  /** Most CPU of one node: 100,000 cores, far above any machine. */
  public static final int MAX_NODE_CPU_MILLIS = 100_000_000;
  /** Most memory of one node: 1 PiB, far above any machine. */
  public static final long MAX_NODE_MEMORY_BYTES = 1L << 50;
  /** Most instances on one node. */
  public static final int MAX_NODE_INSTANCES = MAX_INSTANCES;

  // ---------------------------------------------------------------- tenant quotas

  /**
   * Largest quota on applications, sessions or instances (0 means unlimited). Higher values would
   * not limit anything; the cap keeps them and their sums well inside a Java {@code int}/{@code
   * long}.
   */
  public static final int MAX_QUOTA_COUNT = 1_000_000_000;
  /** Largest CPU quota: 10^12 millicores (a billion cores). 0 means unlimited. */
  public static final long MAX_QUOTA_CPU_MILLIS = 1_000_000_000_000L;
  /** Largest memory quota: 1 EiB. 0 means unlimited. */
  public static final long MAX_QUOTA_MEMORY_BYTES = 1L << 60;
}
