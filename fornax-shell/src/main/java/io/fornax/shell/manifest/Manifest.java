package io.fornax.shell.manifest;

import io.fornax.api.Nullable;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.Tenant;

/**
 * One document of a manifest file, bound and validated: an application or a tenant.
 *
 * @param file the file it came from ({@code <stdin>} for {@code -f -})
 * @param line the line its document starts on
 */
public record Manifest(String file, int line, @Nullable Application application,
    @Nullable Tenant tenant) {

  public String name() {
    return application != null ? application.getMeta().getName() : tenant.getMeta().getName();
  }

  /** {@code application/echo} or {@code tenant/demo}, as apply reports it. */
  public String ref() {
    return (application != null ? "application/" : "tenant/") + name();
  }
}
