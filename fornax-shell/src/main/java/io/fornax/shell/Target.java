package io.fornax.shell;

import io.fornax.api.FornaxException;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Response;
import io.fornax.client.internal.FornaxConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the cluster is: {@code --endpoints}/{@code --token}, else FORNAX_ENDPOINTS/FORNAX_TOKEN. */
final class Target {
  @Option(names = "--endpoints", paramLabel = "HOST:PORT[,...]",
      description = "Core API addresses (default: $FORNAX_ENDPOINTS or 127.0.0.1:9881,9882,9883)")
  String endpoints;

  @Option(names = "--token", description = "API token (default: $FORNAX_TOKEN)")
  String token;

  List<String> endpoints() {
    String e = endpoints != null ? endpoints : System.getenv("FORNAX_ENDPOINTS");
    if (e == null || e.isBlank()) {
      e = "127.0.0.1:9881,127.0.0.1:9882,127.0.0.1:9883";
    }
    List<String> out = new ArrayList<>();
    for (String part : e.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  String token() {
    String t = token != null ? token : System.getenv("FORNAX_TOKEN");
    if (t == null || t.isBlank()) {
      throw new FornaxException(ErrorCode.UNAUTHENTICATED,
          "no token: pass --token or set FORNAX_TOKEN");
    }
    return t;
  }

  /** Connects to the first endpoint that answers. */
  FornaxConnection connect() {
    return connect(token());
  }

  FornaxConnection connect(String withToken) {
    List<String> tried = new ArrayList<>();
    for (String ep : endpoints()) {
      int colon = ep.lastIndexOf(':');
      try {
        return FornaxConnection.connect(ep.substring(0, colon), Integer.parseInt(ep.substring(colon + 1)),
            withToken, Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        tried.add(ep);
      }
    }
    throw new FornaxException(ErrorCode.UNAVAILABLE, "no replica answers at " + tried);
  }

  /** Calls and turns an error response into an exception with the server's reason. */
  static Response call(FornaxConnection c, Request.Builder r) {
    Response resp = c.callSync(r.build(), Duration.ofSeconds(20));
    if (resp.hasError() && resp.getError().getCode() != ErrorCode.OK) {
      throw FornaxException.fromProto(resp.getError());
    }
    return resp;
  }
}
