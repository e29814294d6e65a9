package io.fornax.agent.adoption;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance records under {@code <dataDir>/instances/<tenant>_<name>/instance.json}. Each
 * write goes to a temporary file renamed over the old one, so a crash leaves the old record or
 * the new one, never half of one.
 */
public final class InstanceRecords {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceRecords.class);
  static final String FILE = "instance.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  private final Path root;

  public InstanceRecords(Path root) {
    this.root = root;
  }

  /** The instance's own folder (logs, record, runtime state). */
  public Path dir(String tenant, String name) {
    return root.resolve(tenant + "_" + name);
  }

  public void write(InstanceRecord r) throws IOException {
    Path dir = dir(r.tenant(), r.name());
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.write(tmp, JSON.writeValueAsBytes(r));
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  public void delete(String tenant, String name) {
    try {
      Files.deleteIfExists(dir(tenant, name).resolve(FILE));
    } catch (IOException e) {
      LOG.warn("cannot delete the record of instance {}/{}: {}", tenant, name, e.toString());
    }
  }

  /** The valid records; a folder whose record cannot be read is reported and skipped. */
  public List<InstanceRecord> load() throws IOException {
    List<InstanceRecord> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : (Iterable<Path>) dirs.sorted()::iterator) {
        Path file = d.resolve(FILE);
        if (!Files.isRegularFile(file)) {
          continue;
        }
        try {
          InstanceRecord r = JSON.readValue(file.toFile(), InstanceRecord.class);
          if (r == null || r.tenant() == null || r.name() == null || r.pid() <= 0
              || !dir(r.tenant(), r.name()).equals(d)) {
            throw new IOException("incomplete record or wrong folder");
          }
          out.add(r);
        } catch (IOException e) {
          LOG.warn("unreadable instance record {} ({}): the instance is not re-adopted", file,
              e.getMessage().lines().findFirst().orElse(""));
        }
      }
    }
    return out;
  }

  /** Removes an instance folder and everything in it. */
  public static void removeFolder(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("cannot remove instance folder {}: {}", dir, e.toString());
    }
  }
}
