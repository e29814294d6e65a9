package io.fornax.core.store;

import io.fornax.core.state.Change;
import io.fornax.core.state.ResourceStateLoader;
import io.fornax.core.state.Table;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.LoggerFactory;

/**
 * The durable copy of the replicated state: one RocksDB, a column family per {@link Table} plus
 * {@code meta}, which holds the last applied term and index. Data and the applied position are
 * written in one {@link WriteBatch}, so after a crash the stored position always matches the data.
 * Writes skip RocksDB's own WAL: the Raft log is durable, and replay restores anything a crash
 * dropped from the memtables (the stored applied index is flushed atomically with the data).
 */
public final class RocksStore implements AutoCloseable {
  private static final String META = "meta";
  private static final byte[] APPLIED_KEY = "applied".getBytes(StandardCharsets.UTF_8);

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final EnumMap<Table, ColumnFamilyHandle> tables = new EnumMap<>(Table.class);
  private final ColumnFamilyHandle meta;
  private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);

  private RocksStore(Path dir) throws RocksDBException, IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
        .setKeepLogFileNum(2)
        // No WAL: the Raft log is the write-ahead log. Column families flush together, so the
        // applied index on disk always matches the data, and replay fills in what a crash lost.
        .setAtomicFlush(true);
    cfOptions = new ColumnFamilyOptions().optimizeForSmallDb();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    descriptors.add(new ColumnFamilyDescriptor(bytes(META), cfOptions));
    for (Table t : Table.values()) {
      descriptors.add(new ColumnFamilyDescriptor(bytes(t.columnFamily()), cfOptions));
    }
    db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    meta = handles.get(1);
    for (Table t : Table.values()) {
      tables.put(t, handles.get(2 + t.ordinal()));
    }
  }

  public static RocksStore open(Path dir) {
    try {
      return new RocksStore(dir);
    } catch (RocksDBException | IOException e) {
      throw new StoreException("cannot open RocksDB at " + dir + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** Streams every stored value and the applied position into {@code loader}. */
  public void loadInto(ResourceStateLoader loader) {
    for (Table t : Table.values()) {
      try (RocksIterator it = db.newIterator(tables.get(t))) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          loader.load(t, new String(it.key(), StandardCharsets.UTF_8), t.parse(it.value()));
        }
      }
    }
    long[] applied = applied();
    loader.loadApplied(applied[0], applied[1]);
  }

  /** {term, index} of the last entry whose changes are stored; {0, 0} for a new store. */
  public long[] applied() {
    try {
      byte[] v = db.get(meta, APPLIED_KEY);
      if (v == null) {
        return new long[] {0, 0};
      }
      ByteBuffer b = ByteBuffer.wrap(v);
      return new long[] {b.getLong(), b.getLong()};
    } catch (RocksDBException e) {
      throw new StoreException("cannot read the applied index: " + e.getMessage(), e);
    }
  }

  /** Stores the changes of one entry together with its position. */
  public void write(List<Change> changes, long term, long index) {
    try (WriteBatch batch = new WriteBatch()) {
      for (Change c : changes) {
        byte[] key = bytes(c.key());
        if (c.isDelete()) {
          batch.delete(tables.get(c.table()), key);
        } else {
          batch.put(tables.get(c.table()), key, c.value().toByteArray());
        }
      }
      batch.put(meta, APPLIED_KEY, ByteBuffer.allocate(16).putLong(term).putLong(index).array());
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StoreException("cannot write entry " + index + ": " + e.getMessage(), e);
    }
  }

  /** Writes a consistent, self-contained copy of the database to {@code target} (must not exist). */
  public void checkpoint(Path target) {
    try (Checkpoint cp = Checkpoint.create(db)) {
      cp.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new StoreException("cannot checkpoint to " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush, handles); // without a WAL, unflushed memtables would be replayed from Raft
    } catch (RocksDBException e) {
      LoggerFactory.getLogger(RocksStore.class).warn("flush on close failed: {}", e.getMessage());
    }
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    writeOptions.close();
    dbOptions.close();
    cfOptions.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
