package io.fornax.shell.commands;

import io.fornax.api.Durations;
import io.fornax.api.proto.EventType;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.WatchEvent;
import io.fornax.client.FornaxClientException;
import io.fornax.client.Resources;
import io.fornax.client.Watch;
import io.fornax.client.WatchListener;
import io.fornax.shell.UsageException;
import io.fornax.shell.output.Columns;
import io.fornax.shell.output.ProtoTree;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code watch KIND [NAME]}: one line per change, until Ctrl-C. */
@Command(name = "watch", description = {"Stream changes as lines until Ctrl-C.",
    "Each line: REVISION  ADDED|MODIFIED|DELETED  kind/name  state.",
    "  fornax watch sessions", "  fornax watch app echo -o json"})
public final class WatchCommand extends BaseCommand {
  @Mixin
  KindAndName target;

  @Option(names = {"-o", "--output"}, defaultValue = "table",
      description = "table (lines) or json (one object per line)")
  Output output;

  @Option(names = "--for", paramLabel = "DURATION",
      description = "Stop after this long (e.g. 30s) instead of at Ctrl-C; exit 0")
  String duration;

  /** What the listener hands over: a line to print, or the error that ended the watch. */
  private record Item(String line, FornaxClientException error) {}

  @Override
  protected int run() throws InterruptedException {
    long deadline = 0;
    if (duration != null) {
      try {
        deadline = System.nanoTime() + Durations.parse(duration).toNanos();
      } catch (RuntimeException e) {
        throw new UsageException("--for: " + e.getMessage());
      }
    }
    BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    String only = target.name == null ? "" : target.name;
    try (Watch w = client().watch(target.kind, only, Map.of(), 0, new WatchListener() {
      @Override
      public void onEvent(WatchEvent e) {
        items.add(new Item(line(e), null));
      }

      @Override
      public void onResync(List<Resource> list, long revision) {
        items.add(new Item("# fell behind; re-listed " + list.size() + " at revision "
            + revision, null));
      }

      @Override
      public void onError(FornaxClientException error) {
        items.add(new Item(null, error));
      }
    })) {
      err().println("watching " + ResourceAccess.noun(target.kind) + "s ("
          + (duration == null ? "Ctrl-C to stop" : "for " + duration) + ")");
      err().flush();
      while (true) {
        // Ctrl-C interrupts the wait
        Item item = duration == null ? items.take()
            : items.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (item == null) {
          return 0;
        }
        if (item.error() != null) {
          throw item.error();
        }
        out().println(item.line());
        out().flush();
      }
    }
  }

  private String line(WatchEvent e) {
    Resource r = e.getResource();
    String type = e.getType() == EventType.DELETE ? "DELETED"
        : Resources.meta(r).getCreateRevision() == e.getRevision() ? "ADDED" : "MODIFIED";
    if (output.machine()) {
      var tree = ProtoTree.of(Output.unwrap(r));
      tree.put("event", type);
      tree.put("eventRevision", e.getRevision());
      return tree.toString();
    }
    return e.getRevision() + "  " + type + "  " + ResourceAccess.noun(Resources.kind(r)) + "/"
        + Resources.meta(r).getName() + "  " + Columns.summary(r);
  }
}
