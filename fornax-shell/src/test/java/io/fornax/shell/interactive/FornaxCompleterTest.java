package io.fornax.shell.interactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.Kind;
import io.fornax.shell.FornaxCli;
import io.fornax.shell.ShellContext;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FornaxCompleterTest {
  private static final Map<Kind, List<String>> NAMES = Map.of(
      Kind.APPLICATION, List.of("echo", "counter"),
      Kind.SESSION, List.of("s-1", "s-2"),
      Kind.NODE, List.of("node-1"));

  private final FornaxCompleter completer = new FornaxCompleter(
      () -> FornaxCli.commandLine(new FornaxCli(new ShellContext(k -> null, Path.of("/nonexistent"),
          Clock.systemUTC(), new ByteArrayInputStream(new byte[0]), false))),
      k -> NAMES.getOrDefault(k, List.of()));

  private List<String> complete(String line) {
    List<String> words = List.of(line.split(" ", -1));
    return completer.candidates(words.subList(0, words.size() - 1), words.get(words.size() - 1));
  }

  @Test
  void commandsAndSubcommands() {
    assertEquals(List.of("delete", "demo", "describe"), complete("de"));
    assertEquals(List.of("close", "open"), complete("session "));
    assertTrue(complete("").containsAll(List.of("apply", "get", "watch", "cluster", "shell")));
  }

  @Test
  void kindsThenLiveNames() {
    assertEquals(List.of("apps", "instances", "nodes", "sessions", "tenants"), complete("get "));
    assertEquals(List.of("counter", "echo"), complete("get apps "));
    assertEquals(List.of("echo"), complete("describe app e"));
    assertEquals(List.of("s-1", "s-2"), complete("session close "));
    assertEquals(List.of("counter", "echo"), complete("session open "));
    assertEquals(List.of("node-1"), complete("watch nodes "));
    assertEquals(List.of(), complete("get apps echo "));
  }

  @Test
  void flagsAndTheirValues() {
    List<String> flags = complete("get apps -");
    assertTrue(flags.containsAll(List.of("--output", "--app", "--endpoints", "--token")), flags.toString());
    assertEquals(List.of("json", "table", "wide", "yaml"), complete("get apps -o "));
    assertEquals(List.of("echo"), complete("get sessions --app ec"));
    assertEquals(List.of("counter", "echo"), complete("get apps -o wide "));
  }
}
