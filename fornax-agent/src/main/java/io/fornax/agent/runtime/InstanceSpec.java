package io.fornax.agent.runtime;

import io.fornax.api.proto.ResourceSpec;
import io.fornax.api.proto.RuntimeSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a runtime needs to start one instance.
 *
 * @param env variables the agent adds (FORNAX_*, port variables) on top of the application's
 * @param ports port name → the port the instance listens on (as it sees it), declaration order
 * @param dir the instance's own folder under the agent's data dir (logs, runtime state)
 */
public record InstanceSpec(
    String id,
    String application,
    RuntimeSpec runtime,
    ResourceSpec resources,
    Map<String, String> env,
    Map<String, Integer> ports,
    Path dir) {}
