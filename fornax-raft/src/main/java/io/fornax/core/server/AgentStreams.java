package io.fornax.core.server;

import io.fornax.api.proto.AgentConnectRequest;
import io.fornax.api.proto.AgentReportRequest;
import io.fornax.api.Nullable;
import io.fornax.api.proto.Command;
import io.fornax.api.proto.CommandResult;
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

  /**
   * Proposes session open {@code open} (stamped) in one commit if this replica leads and an
   * agent with an idle instance opens the session first; null when it does not apply, and the
   * caller proposes {@code open} itself.
   */
  default @Nullable CompletableFuture<CommandResult> openOnIdleInstance(Command open) {
    return null;
  }

  /**
   * Proposes session close {@code close} (stamped) in one commit if this replica leads and the
   * session's agent closes it first; null when it does not apply, and the caller proposes
   * {@code close} itself.
   */
  default @Nullable CompletableFuture<CommandResult> closeOnAgent(Command close) {
    return null;
  }
}
