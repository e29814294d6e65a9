package io.fornax.api.validation;

/** Size limits on everything that comes from the network. Documented in the fornax-api README. */
public final class Limits {
  private Limits() {}

  /** Largest frame (one Request or Response) on the wire. */
  public static final int MAX_FRAME_BYTES = 4 << 20;
  /** Names of tenants, applications, sessions, nodes and ports: DNS labels. */
  public static final int MAX_NAME = 63;
  public static final int MAX_LABELS = 64;
  public static final int MAX_LABEL_KEY_PREFIX = 253;
  public static final int MAX_LABEL_KEY_NAME = 63;
  public static final int MAX_LABEL_VALUE = 63;
  public static final int MAX_ENV = 256;
  public static final int MAX_ENV_KEY = 256;
  public static final int MAX_ENV_VALUE = 32 << 10;
  public static final int MAX_ARGS = 256;
  public static final int MAX_ARG = 4 << 10;
  public static final int MAX_COMMAND = 4 << 10;
  public static final int MAX_PATH = 4 << 10;
  public static final int MAX_PORTS = 16;
  public static final int MAX_CPU_MILLIS = 1_000_000;
  public static final long MAX_MEMORY_BYTES = 1L << 40;
  public static final int MAX_INSTANCES = 100_000;
  public static final int MAX_SESSIONS_PER_INSTANCE = 1000;
  public static final int MAX_SESSION_DATA = 64 << 10;
  public static final int MAX_IDEMPOTENCY_KEY = 128;
  public static final long MAX_OPEN_TIMEOUT_MS = 3_600_000L;
  public static final long MAX_CLOSE_GRACE_MS = 600_000L;
  public static final long MAX_IDLE_TIMEOUT_MS = 7L * 24 * 3_600_000L;
  public static final int MAX_ADDRESS = 253;
}
