package io.fornax.scheduler.placement;

import io.fornax.api.proto.Instance;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.ResourceSpec;
import java.util.List;

/** What a node has committed, including placements made earlier in the same plan. */
public final class NodeUsage {
  private final Node node;
  private long cpuMillis;
  private long memoryBytes;
  private int instances;

  public NodeUsage(Node node, List<Instance> live) {
    this.node = node;
    for (Instance i : live) {
      add(i.getResources());
    }
  }

  public Node node() {
    return node;
  }

  public void add(ResourceSpec r) {
    cpuMillis += r.getCpuMillis();
    memoryBytes += r.getMemoryBytes();
    instances++;
  }

  public void remove(ResourceSpec r) {
    cpuMillis -= r.getCpuMillis();
    memoryBytes -= r.getMemoryBytes();
    instances--;
  }

  public long freeCpuMillis() {
    return node.getSpec().getCapacity().getCpuMillis() - cpuMillis;
  }

  public long freeMemoryBytes() {
    return node.getSpec().getCapacity().getMemoryBytes() - memoryBytes;
  }

  public int freeSlots() {
    return node.getSpec().getCapacity().getMaxInstances() - instances;
  }

  public long usedCpuMillis() {
    return cpuMillis;
  }

  public long usedMemoryBytes() {
    return memoryBytes;
  }

  public int usedSlots() {
    return instances;
  }
}
