package io.fornax.core.ratis;

import io.fornax.api.Nullable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Snapshots as RocksDB checkpoints: each is a directory {@code snapshot.<term>_<index>} in the
 * Ratis state-machine folder. A leader sends its files by path relative to the storage root; a
 * follower receives them into a temporary folder that Ratis then renames over the state-machine
 * folder, so after an install this class finds the new snapshot by scanning again.
 */
final class CheckpointSnapshotStorage implements StateMachineStorage {
  private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

  private volatile Path smDir;
  private volatile @Nullable FileListSnapshotInfo latest;

  @Override
  public void init(RaftStorage storage) throws IOException {
    smDir = storage.getStorageDir().getStateMachineDir().toPath();
    Files.createDirectories(smDir);
    reload();
  }

  /** Scans the state-machine folder again, e.g. after a snapshot was installed into it. */
  synchronized void reload() throws IOException {
    Files.createDirectories(smDir);
    latest = snapshots().stream().findFirst().map(this::describe).orElse(null);
  }

  @Override
  public @Nullable FileListSnapshotInfo getLatestSnapshot() {
    return latest;
  }

  /** Where the checkpoint of {@code ti} goes; the caller creates it and then calls {@link #reload}. */
  Path snapshotDir(TermIndex ti) {
    return smDir.resolve("snapshot." + ti.getTerm() + "_" + ti.getIndex());
  }

  Path tmpDir(TermIndex ti) {
    return smDir.resolve(".tmp-snapshot." + ti.getTerm() + "_" + ti.getIndex());
  }

  /** The folder of the latest snapshot, or null if there is none. */
  @Nullable Path latestDir() {
    FileListSnapshotInfo l = latest;
    return l == null ? null : snapshotDir(l.getTermIndex());
  }

  @Override
  public void format() {}

  @Override
  public synchronized void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    int keep = Math.max(1, policy.getNumSnapshotsRetained());
    List<Snapshot> all = snapshots();
    for (Snapshot s : all.subList(Math.min(keep, all.size()), all.size())) {
      deleteRecursively(s.dir);
    }
  }

  /** Snapshot folders, newest first. */
  private List<Snapshot> snapshots() throws IOException {
    List<Snapshot> out = new ArrayList<>();
    try (Stream<Path> entries = Files.list(smDir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p)) {
          out.add(new Snapshot(TermIndex.valueOf(Long.parseLong(m.group(1)),
              Long.parseLong(m.group(2))), p));
        }
      }
    }
    out.sort(Comparator.comparingLong((Snapshot s) -> s.ti.getIndex()).reversed());
    return out;
  }

  private FileListSnapshotInfo describe(Snapshot s) {
    List<FileInfo> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(s.dir)) {
      walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".md5"))
          .sorted()
          .forEach(p -> files.add(new FileInfo(p.toAbsolutePath(), null)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list snapshot " + s.dir, e);
    }
    return new FileListSnapshotInfo(files, s.ti);
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  @Override
  public @Nullable File getSnapshotDir() {
    return null; // Ratis' default: the state-machine folder
  }

  private record Snapshot(TermIndex ti, Path dir) {}
}
