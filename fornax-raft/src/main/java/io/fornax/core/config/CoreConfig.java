package io.fornax.core.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fornax.api.FornaxException;
import io.fornax.api.proto.ErrorCode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A core replica's configuration (YAML, see conf/local/core-1.yaml for every setting with its
 * meaning). Unknown keys are errors, so a typo never silently falls back to a default.
 */
public final class CoreConfig {
  /** This replica's id; must be one of {@link #peers}. */
  public String id;
  /** Raft group id (a UUID); the same on every replica of a cluster. */
  public String groupId = "02511d47-d67c-49a3-9011-abb3109a44c1";
  /** Where this replica keeps its Raft log, snapshots and RocksDB. */
  public String dataDir;
  /** Hex SHA-256 of the admin token; or give {@link #adminTokenFile}. */
  public String adminTokenHash;
  /** File holding the admin token; created with a random token if missing. */
  public String adminTokenFile;
  public List<Peer> peers = new ArrayList<>();
  public Api api = new Api();
  public Raft raft = new Raft();
  public GroupCommit groupCommit = new GroupCommit();
  public Watch watch = new Watch();
  public SchedulerSettings scheduler = new SchedulerSettings();

  public static final class SchedulerSettings {
    /** The leader schedules on every applied change and at least this often. */
    public Duration tick = Duration.ofMillis(200);
    /** A node with no heartbeat for this long is NOT_READY: nothing new is placed there. */
    public Duration nodeNotReadyAfter = Duration.ofSeconds(3);
    /** ... and for this long DOWN: its instances fail, their sessions are LOST and replaced. */
    public Duration nodeDownAfter = Duration.ofSeconds(10);
    /** Finished sessions and instances stay readable this long, then they are removed. */
    public Duration finishedRetention = Duration.ofMinutes(5);
    /** At most this many finished sessions (and as many instances) are kept: oldest go first. */
    public int maxFinished = 10_000;
  }

  /** One member of the group: its Raft address and its API address. */
  public static final class Peer {
    public String id;
    /** host:port of the Raft (gRPC) endpoint. */
    public String raft;
    /** host:port of the Fornax API. */
    public String api;

    public Peer() {}

    public Peer(String id, String raft, String api) {
      this.id = id;
      this.raft = raft;
      this.api = api;
    }
  }

  public static final class Api {
    /** Largest request frame accepted, in bytes. */
    public int maxFrameBytes = 4 << 20;
    /** How long a request may wait for its Raft commit before TIMEOUT. */
    public Duration requestTimeout = Duration.ofSeconds(10);
    /** A connection must complete each frame it begins within this time (slow-loris defence). */
    public Duration frameTimeout = Duration.ofSeconds(30);
  }

  public static final class Raft {
    public Duration electionTimeoutMin = Duration.ofMillis(300);
    public Duration electionTimeoutMax = Duration.ofMillis(600);
    /** Take a snapshot after this many applied entries. */
    public long snapshotThreshold = 10_000;
    /** Snapshots kept on disk. */
    public int snapshotsRetained = 2;
    /** Raft log segment size in bytes. */
    public long segmentBytes = 8L << 20;
  }

  public static final class GroupCommit {
    public boolean enabled = true;
    /** Most Raft entries in flight; while any are, commands queue up and are batched. */
    public int maxInFlight = 4;
    public int maxBatch = 1000;
    public int maxBatchBytes = 1 << 20;
  }

  public static final class Watch {
    /** Changes kept in memory for watches to resume from. */
    public int windowEvents = 100_000;
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .registerModule(Durations.jacksonModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public static CoreConfig load(Path file) {
    CoreConfig c;
    try {
      c = YAML.readValue(file.toFile(), CoreConfig.class);
    } catch (JsonMappingException e) {
      throw new FornaxException(ErrorCode.INVALID_ARGUMENT,
          file + ": " + e.getOriginalMessage() + " at " + e.getPathReference());
    } catch (IOException e) {
      throw new FornaxException(ErrorCode.INVALID_ARGUMENT, "cannot read " + file + ": " + e.getMessage());
    }
    if (c == null) {
      throw FornaxException.invalid("%s is empty", file);
    }
    c.validate(file.toString());
    return c;
  }

  public void validate(String source) {
    require(id != null && !id.isBlank(), source, "id is required");
    require(dataDir != null && !dataDir.isBlank(), source, "dataDir is required");
    require(adminTokenHash != null ^ adminTokenFile != null, source,
        "give exactly one of adminTokenHash and adminTokenFile");
    require(adminTokenHash == null || adminTokenHash.matches("[0-9a-f]{64}"), source,
        "adminTokenHash must be 64 lowercase hex characters (sha256sum of the token)");
    require(!peers.isEmpty(), source, "peers must list every replica, this one included");
    require(peers.stream().anyMatch(p -> id.equals(p.id)), source,
        "peers has no entry with this replica's id \"" + id + "\"");
    for (Peer p : peers) {
      require(p.id != null && p.raft != null && p.api != null, source,
          "each peer needs id, raft and api");
      HostPort.parse(p.raft);
      HostPort.parse(p.api);
    }
    require(api.maxFrameBytes >= 1024, source, "api.maxFrameBytes must be >= 1024");
    require(!api.frameTimeout.isNegative() && !api.frameTimeout.isZero(), source,
        "api.frameTimeout must be positive");
    require(raft.snapshotThreshold >= 1, source, "raft.snapshotThreshold must be >= 1");
    require(raft.snapshotsRetained >= 1, source, "raft.snapshotsRetained must be >= 1");
    require(watch.windowEvents >= 1, source, "watch.windowEvents must be >= 1");
    require(scheduler.maxFinished >= 0, source, "scheduler.maxFinished must be >= 0");
  }

  public Peer self() {
    return peers.stream().filter(p -> id.equals(p.id)).findFirst().orElseThrow();
  }

  public Path dataPath() {
    return Path.of(dataDir);
  }

  private static void require(boolean ok, String source, String message) {
    if (!ok) {
      throw FornaxException.invalid("%s: %s", source, message);
    }
  }
}
