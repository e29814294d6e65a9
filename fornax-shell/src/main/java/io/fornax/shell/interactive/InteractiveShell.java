package io.fornax.shell.interactive;

import io.fornax.shell.FornaxCli;
import io.fornax.shell.ShellContext;
import io.fornax.shell.config.ClientConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;
import picocli.CommandLine;

/**
 * The read-eval loop of {@code fornax shell}. Each line runs as a fresh picocli command line on a
 * worker thread sharing one client; Ctrl-C interrupts that thread (a watch or a waiting open
 * ends, the prompt comes back), Ctrl-C at the prompt clears the line, Ctrl-D leaves.
 */
public final class InteractiveShell {
  private static volatile boolean running;

  private final ShellContext ctx;
  private final ClientConfig.Flags flags;
  private final Terminal terminal;
  private final LineReader reader;

  public InteractiveShell(ShellContext ctx, ClientConfig.Flags flags, Terminal terminal,
      Path historyFile) throws IOException {
    this.ctx = ctx;
    this.flags = flags;
    this.terminal = terminal;
    Files.createDirectories(historyFile.getParent());
    this.reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("fornax")
        .completer(new FornaxCompleter(this::commandLine, new ClientNames(ctx, flags)))
        .parser(new DefaultParser())
        .variable(LineReader.HISTORY_FILE, historyFile)
        .variable(LineReader.HISTORY_SIZE, 1000)
        .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
        .build();
  }

  /** Whether a shell runs in this JVM (a nested {@code shell} is refused). */
  static boolean running() {
    return running;
  }

  /** Runs until Ctrl-D or {@code exit}, which end the shell normally (0). */
  public int run() throws IOException {
    running = true;
    SignalHandler outside = terminal.handle(Signal.INT, Terminal.SignalHandler.SIG_IGN);
    try {
      PrintWriter out = terminal.writer();
      out.println("fornax shell: type help, TAB completes, Ctrl-C cancels a command, Ctrl-D exits");
      out.flush();
      while (true) {
        String line;
        try {
          line = reader.readLine("fornax> ");
        } catch (UserInterruptException e) {
          continue; // Ctrl-C at the prompt: the line is dropped
        } catch (EndOfFileException e) {
          break;
        }
        List<String> words = reader.getParser().parse(line, line.length()).words().stream()
            .filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) {
          continue;
        }
        if (words.get(0).equals("exit") || words.get(0).equals("quit")) {
          break;
        }
        execute(words);
      }
    } finally {
      reader.getHistory().save();
      terminal.handle(Signal.INT, outside);
      running = false;
    }
    return 0;
  }

  /** Runs one command on a worker thread that Ctrl-C interrupts. */
  int execute(List<String> words) {
    int[] code = {0};
    Thread worker = new Thread(() -> code[0] = commandLine().execute(words.toArray(String[]::new)),
        "fornax-command");
    SignalHandler before = terminal.handle(Signal.INT, s -> worker.interrupt());
    try {
      worker.start();
      worker.join();
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
    } finally {
      terminal.handle(Signal.INT, before);
    }
    return code[0];
  }

  /** A fresh command line for one input line, printing to the terminal. */
  CommandLine commandLine() {
    CommandLine cl = FornaxCli.commandLine(new FornaxCli(ctx, flags));
    cl.setOut(terminal.writer());
    cl.setErr(terminal.writer());
    return cl;
  }
}
