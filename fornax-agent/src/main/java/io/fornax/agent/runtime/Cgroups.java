package io.fornax.agent.runtime;

import io.fornax.api.Nullable;
import io.fornax.api.proto.ResourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * cgroup v1 limits for process instances, where the hierarchy is mounted writable: memory
 * (memory.limit_in_bytes), cpu (CFS quota over a 100 ms period) and the freezer. Each instance
 * gets {@code <controller>/fornax/<instance>}. Without cgroups, instances run unlimited and
 * standby falls back to SIGSTOP/SIGCONT of the process group.
 */
final class Cgroups {
  private static final long CFS_PERIOD_US = 100_000;
  private final Path root;

  private Cgroups(Path root) {
    this.root = root;
  }

  /** The cgroup v1 hierarchy under {@code root}, or null if it is missing or read-only. */
  static @Nullable Cgroups detect(Path root) {
    for (String c : new String[] {"memory", "cpu", "freezer"}) {
      Path dir = root.resolve(c);
      if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
        return null;
      }
    }
    return new Cgroups(root);
  }

  Group create(String instance, ResourceSpec limits) throws IOException {
    Group g = new Group(instance);
    for (String c : new String[] {"memory", "cpu", "freezer"}) {
      Files.createDirectories(g.dir(c));
    }
    if (limits.getMemoryBytes() > 0) {
      Files.writeString(g.dir("memory").resolve("memory.limit_in_bytes"),
          Long.toString(limits.getMemoryBytes()));
    }
    if (limits.getCpuMillis() > 0) {
      Files.writeString(g.dir("cpu").resolve("cpu.cfs_period_us"), Long.toString(CFS_PERIOD_US));
      Files.writeString(g.dir("cpu").resolve("cpu.cfs_quota_us"),
          Long.toString(limits.getCpuMillis() * CFS_PERIOD_US / 1000));
    }
    return g;
  }

  /** The groups an earlier agent run created for {@code instance}, or null if there are none. */
  @Nullable Group existing(String instance) {
    Group g = new Group(instance);
    return Files.isDirectory(g.dir("freezer")) ? g : null;
  }

  /** One instance's groups in the three controllers. */
  final class Group {
    private final String name;

    Group(String name) {
      this.name = name;
    }

    Path dir(String controller) {
      return root.resolve(controller).resolve("fornax").resolve(name);
    }

    /** Shell that moves the current shell ($$) into the three groups. */
    String joinScript() {
      StringBuilder sb = new StringBuilder();
      for (String c : new String[] {"memory", "cpu", "freezer"}) {
        if (sb.length() > 0) {
          sb.append(" && ");
        }
        sb.append("echo $$ > '").append(dir(c).resolve("cgroup.procs")).append('\'');
      }
      return sb.toString();
    }

    boolean freeze(boolean frozen) {
      try {
        Files.writeString(dir("freezer").resolve("freezer.state"), frozen ? "FROZEN" : "THAWED");
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    String read(String controller, String file) throws IOException {
      return Files.readString(dir(controller).resolve(file)).trim();
    }

    /** Removes the (by now empty) groups. */
    void delete() {
      for (String c : new String[] {"memory", "cpu", "freezer"}) {
        try {
          Files.deleteIfExists(dir(c));
        } catch (IOException e) {
          // still has a process in it; the agent's clean-up on restart retries
        }
      }
    }
  }
}
