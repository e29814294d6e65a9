package io.fornax.agent.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * One line of the session protocol (newline-delimited JSON over loopback TCP), both ways.
 * Instance → agent: {@code hello} (instance, token), {@code ready}, {@code closed}
 * (session), {@code heartbeat}. Agent → instance: {@code open} (session, data in base64),
 * {@code close} (session, graceMs), {@code error} (message). See the fornax-agent README.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class SessionMessage {
  public String type;
  public String instance;
  public String token;
  public String session;
  public String data;
  public Long graceMs;
  public String message;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public static SessionMessage of(String type) {
    SessionMessage m = new SessionMessage();
    m.type = type;
    return m;
  }

  public SessionMessage session(String s) {
    this.session = s;
    return this;
  }

  public static SessionMessage parse(String line) throws IOException {
    SessionMessage m = JSON.readValue(line, SessionMessage.class);
    if (m == null || m.type == null) {
      throw new IOException("message has no type");
    }
    return m;
  }

  public String toLine() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
