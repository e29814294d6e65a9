package io.fornax.shell.commands;

import io.fornax.api.proto.Kind;
import picocli.CommandLine.Parameters;

/** {@code KIND [NAME]}: what {@code get} and {@code watch} act on (a picocli mixin). */
public final class KindAndName {
  @Parameters(index = "0", paramLabel = "KIND", converter = KindConverter.class,
      completionCandidates = KindCandidates.class,
      description = "apps, sessions, nodes, instances or tenants")
  Kind kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Only this one")
  String name;
}
