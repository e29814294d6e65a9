package io.fornax.agent.adoption;

import java.util.Map;

/**
 * What a restarted agent needs to take over one instance its previous run started, kept as
 * {@code instance.json} in the instance's folder and rewritten on every change that matters.
 *
 * @param runtime "process" or "oci"
 * @param pid the instance's main process
 * @param startTime when {@code pid} started (ticks since boot): a live process with this pid
 *     but another start time is not the instance
 * @param token the session-protocol secret in the instance's environment (it says hello with it)
 * @param ports port name → local port the instance listens on, in declaration order
 * @param sessions open session → its ingress port (0 if it has no endpoint)
 * @param ready whether it had become ready
 * @param protocol whether it speaks the session protocol (else: ready when its port accepts)
 * @param instance the {@code Instance} protobuf it was assigned with, base64
 * @param spec the {@code ApplicationSpec} protobuf it was started from, base64
 */
public record InstanceRecord(
    String tenant,
    String name,
    String runtime,
    long pid,
    long startTime,
    String token,
    Map<String, Integer> ports,
    Map<String, Integer> sessions,
    boolean ready,
    boolean protocol,
    boolean frozen,
    String instance,
    String spec) {}
