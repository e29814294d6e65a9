package io.fornax.core.server;

import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.AgentReportRequest;
import io.fornax.api.proto.Response;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;

/** The leader's end of agent streams (see {@code leader.AgentGateway}). */
public interface AgentStreams {
  /**
   * Opens the stream of {@code channel}'s agent. Completes with null once the first assignment
   * has been written on the channel (tagged with {@code requestId}), or with an error response.
   */
  CompletableFuture<Response> connect(long requestId, AgentConnectRequest request, Channel channel);

  CompletableFuture<Response> report(AgentReportRequest request);
}
