package io.fornax.core.state;

import io.fornax.api.proto.EventType;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Resource;

/** An applied change of an API resource, as watchers see it. */
public record ChangeEvent(
    long revision, EventType type, Kind kind, String tenant, String name, Resource resource) {}
