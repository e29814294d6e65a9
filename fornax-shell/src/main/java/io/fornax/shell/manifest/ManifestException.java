package io.fornax.shell.manifest;

/**
 * A manifest that cannot be applied: {@code app.yaml:7: spec.scaling.maxInstance: unknown field
 * (did you mean maxInstances?)}. Nothing was sent to the cluster.
 */
public final class ManifestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String path;

  /**
   * @param path the field as the manifest writes it, e.g. {@code spec.scaling.burst}; empty when
   *     the message already names it (or there is no field)
   */
  public ManifestException(String file, int line, String path, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    this.file = file;
    this.line = line;
    this.path = path;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public String path() {
    return path;
  }
}
