package io.fornax.shell.commands;

import io.fornax.api.proto.Kind;
import io.fornax.client.Resources;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code apps}, {@code app}, {@code sessions}, ... to a {@link Kind}. */
final class KindConverter implements ITypeConverter<Kind> {
  /** What completion offers for a kind argument. */
  static final String[] NAMES = {"apps", "sessions", "nodes", "instances", "tenants"};

  @Override
  public Kind convert(String value) {
    try {
      return Resources.parseKind(value);
    } catch (RuntimeException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
