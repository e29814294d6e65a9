package io.fornax.shell.commands;

import java.util.Iterator;
import java.util.List;

/** The kind names help and completion show. */
final class KindCandidates implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    return List.of(KindConverter.NAMES).iterator();
  }
}
