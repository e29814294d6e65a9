package io.fornax.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as {@code /proc/<pid>/stat} describes it. The start time (field 22, clock ticks
 * since boot) tells a process from a later one that was given the same pid.
 *
 * @param state one letter: R, S, D, T, Z (zombie), ...
 * @param pgrp its process group id
 * @param startTime clock ticks after boot at which it started
 */
public record ProcStat(char state, long pgrp, long startTime) {
  /** The process's stat, or empty if it does not exist (or /proc cannot tell). */
  public static Optional<ProcStat> of(long pid) {
    try {
      return Optional.of(parse(Files.readString(Path.of("/proc/" + pid + "/stat"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Parses one stat line; the command name (field 2) may hold spaces and parentheses. */
  static ProcStat parse(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return new ProcStat(f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[19]));
  }

  /** Running (or stopped), not a zombie waiting to be reaped. */
  public boolean alive() {
    return state != 'Z' && state != 'X';
  }

  /** The start time of a live process {@code pid}, or 0 if it is gone. */
  public static long startTimeOf(long pid) {
    return of(pid).filter(ProcStat::alive).map(ProcStat::startTime).orElse(0L);
  }
}
