package io.fornax.core.config;

import io.fornax.api.FornaxException;

/** A parsed {@code host:port}. */
public record HostPort(String host, int port) {
  public static HostPort parse(String s) {
    int colon = s == null ? -1 : s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw FornaxException.invalid("\"%s\" is not host:port", s);
    }
    try {
      int port = Integer.parseInt(s.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw FornaxException.invalid("port of \"%s\" is out of range", s);
      }
      return new HostPort(s.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw FornaxException.invalid("port of \"%s\" is not a number", s);
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
