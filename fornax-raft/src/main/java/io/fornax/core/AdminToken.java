package io.fornax.core;

import io.fornax.api.FornaxException;
import io.fornax.core.config.CoreConfig;
import io.fornax.core.server.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Resolves the admin token hash from the config: given directly, or from a token file. */
final class AdminToken {
  private AdminToken() {}

  static String hash(CoreConfig config) throws IOException {
    if (config.adminTokenHash != null) {
      return config.adminTokenHash;
    }
    Path file = Path.of(config.adminTokenFile);
    if (!Files.exists(file)) {
      create(file);
    }
    String token = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (token.isEmpty()) {
      throw FornaxException.invalid("admin token file %s is empty", file);
    }
    return Tokens.sha256Hex(token);
  }

  /** Several replicas may race to create the same file: exactly one wins, the rest read it. */
  private static void create(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".admin", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, "admin." + Tokens.newSecret() + "\n", StandardOpenOption.WRITE);
    try {
      Files.createLink(file, tmp);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // another replica created it first
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
