package io.fornax.shell.interactive;

import io.fornax.api.proto.Kind;
import io.fornax.client.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * TAB completion from the picocli command tree: command and subcommand names, flags, flag values
 * ({@code -o} formats, {@code -f} files, {@code --app} applications), kinds, and live resource
 * names from the cluster ({@code get apps <TAB>}, {@code session close <TAB>}).
 */
public final class FornaxCompleter implements Completer {
  /** Where resource names come from (the cluster, or a test's list). */
  public interface Names {
    List<String> names(Kind kind);
  }

  private static final String FILES = "\0files";

  private final Supplier<CommandLine> commands;
  private final Names names;
  private final Completer files = new Completers.FileNameCompleter();

  public FornaxCompleter(Supplier<CommandLine> commands, Names names) {
    this.commands = commands;
    this.names = names;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> out) {
    List<String> found = candidates(line.words().subList(0, line.wordIndex()), line.word());
    if (found.contains(FILES)) {
      files.complete(reader, line, out);
      return;
    }
    found.forEach(c -> out.add(new Candidate(c)));
  }

  /** What may follow {@code before}, starting with {@code current}. */
  public List<String> candidates(List<String> before, String current) {
    CommandSpec spec = commands.get().getCommandSpec();
    List<String> positionals = new ArrayList<>();
    OptionSpec pending = null;
    for (String w : before) {
      if (pending != null) {
        pending = null;
      } else if (w.startsWith("-")) {
        OptionSpec o = spec.findOption(w);
        pending = o != null && o.arity().min() > 0 ? o : null;
      } else if (positionals.isEmpty() && spec.subcommands().containsKey(w)) {
        spec = spec.subcommands().get(w).getCommandSpec();
      } else {
        positionals.add(w);
      }
    }
    List<String> all = pending != null ? optionValues(pending)
        : current.startsWith("-") ? optionNames(spec)
        : positionals.isEmpty() && !spec.subcommands().isEmpty()
            ? new ArrayList<>(spec.subcommands().keySet())
            : positional(spec, positionals);
    if (all.contains(FILES)) {
      return all;
    }
    return all.stream().filter(c -> c.startsWith(current)).sorted().distinct().toList();
  }

  private List<String> optionValues(OptionSpec o) {
    if (o.longestName().equals("--filename")) {
      return List.of(FILES);
    }
    if (o.longestName().equals("--app")) {
      return names.names(Kind.APPLICATION);
    }
    List<String> out = new ArrayList<>();
    if (o.completionCandidates() != null) {
      o.completionCandidates().forEach(out::add);
    }
    return out;
  }

  private static List<String> optionNames(CommandSpec spec) {
    List<String> out = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (!o.hidden()) {
        out.add(o.longestName());
      }
    }
    return out;
  }

  private List<String> positional(CommandSpec spec, List<String> positionals) {
    int index = positionals.size();
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (p.index().contains(index) && p.completionCandidates() != null) {
        List<String> out = new ArrayList<>();
        p.completionCandidates().forEach(out::add);
        return out;
      }
    }
    Kind kind = nameKind(spec, positionals);
    return kind == null ? List.of() : names.names(kind);
  }

  /** Which kind's names the next positional is, if it is a name. */
  private static Kind nameKind(CommandSpec spec, List<String> positionals) {
    String parent = spec.parent() == null ? "" : spec.parent().name();
    switch (parent + " " + spec.name()) {
      case "session close" -> {
        return Kind.SESSION;
      }
      case "session open" -> {
        return positionals.isEmpty() ? Kind.APPLICATION : null;
      }
      case "tenant rotate-token" -> {
        return Kind.TENANT;
      }
      case "node drain", "node undrain" -> {
        return Kind.NODE;
      }
      default -> { }
    }
    boolean kindThenName = switch (spec.name()) {
      case "get", "describe", "delete", "watch" -> true;
      default -> false;
    };
    if (!kindThenName || positionals.size() < 1 || (positionals.size() > 1
        && !spec.name().equals("delete"))) {
      return null;
    }
    try {
      return Resources.parseKind(positionals.get(0));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
