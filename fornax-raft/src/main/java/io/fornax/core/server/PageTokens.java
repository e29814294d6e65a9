package io.fornax.core.server;

import io.fornax.api.FornaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * List pages: how many items a page holds, and the opaque token that continues a list after
 * the last item of a page (the key of that item, versioned and base64url-encoded). A token is
 * checked like any input: it must decode, and name a key inside the list it continues.
 */
final class PageTokens {
  static final int DEFAULT_LIMIT = 500;
  static final int MAX_LIMIT = 5000;
  /** A page ends once its items pass this many bytes encoded: far below any frame limit. */
  static final long PAGE_BYTES = 1 << 20;
  private static final String VERSION = "v1:";
  private static final int MAX_TOKEN_CHARS = 1024;

  private PageTokens() {}

  static int limit(int requested) {
    return requested <= 0 ? DEFAULT_LIMIT : Math.min(requested, MAX_LIMIT);
  }

  static String encode(String key) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((VERSION + key).getBytes(StandardCharsets.UTF_8));
  }

  /** The key to continue after, "" for a first page; {@code prefix} scopes the list's keys. */
  static String decode(String token, String prefix) {
    if (token.isEmpty()) {
      return "";
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw FornaxException.invalid("page_token is longer than %d characters", MAX_TOKEN_CHARS);
    }
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw FornaxException.invalid("page_token is not a token this server issued");
    }
    if (!text.startsWith(VERSION) || text.length() == VERSION.length()
        || !text.substring(VERSION.length()).startsWith(prefix)) {
      throw FornaxException.invalid("page_token is not a token this server issued for this list");
    }
    return text.substring(VERSION.length());
  }
}
