package io.fornax.core.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Tokens and random ids, from one {@link SecureRandom}. A tenant token is {@code
 * <tenant>.<secret>}; only its SHA-256 is stored, and hashes are compared in constant time.
 */
public final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  /** Lowercase hex SHA-256 of the token's UTF-8 bytes: what is stored and configured. */
  public static String sha256Hex(String token) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code <tenant>.<secret>}: the prefix lets the server find the tenant to check against. */
  public static String newTenantToken(String tenant) {
    return tenant + "." + newSecret();
  }

  /** 32 random bytes, base64url: for admin and tenant secrets. */
  public static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** {@code bytes} random bytes as hex, for ids (e.g. session names). */
  public static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Constant-time comparison of two hex digests. */
  static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII),
        b.getBytes(StandardCharsets.US_ASCII));
  }
}
