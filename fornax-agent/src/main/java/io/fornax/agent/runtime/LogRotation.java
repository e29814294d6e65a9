package io.fornax.agent.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Caps a log file an instance writes to directly (its stdout/stderr were opened in append mode,
 * so the instance never depends on the agent to copy its output, and survives the agent dying).
 * The agent checks from outside, periodically and once more at exit: a file over
 * {@code maxBytes} has its last {@code maxBytes} copied to {@code <name>.1} (replacing the older
 * one) and is truncated to zero; the instance's next write lands at the new end. Between two
 * checks a file can grow past the cap by what the instance writes in that time, and bytes written
 * between the copy and the truncation are lost (as with logrotate's copytruncate).
 */
final class LogRotation {
  private LogRotation() {}

  static void check(Path file, long maxBytes) {
    try {
      if (!Files.exists(file) || Files.size(file) <= maxBytes) {
        return;
      }
      Path older = file.resolveSibling(file.getFileName() + ".1");
      Path tmp = file.resolveSibling(file.getFileName() + ".1.tmp");
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
          FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
              StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        long size = in.size();
        long from = size - maxBytes;
        ByteBuffer buf = ByteBuffer.allocate(64 << 10);
        for (long pos = from; pos < size; ) {
          buf.clear().limit((int) Math.min(buf.capacity(), size - pos));
          int n = in.read(buf, pos);
          if (n <= 0) {
            break;
          }
          buf.flip();
          while (buf.hasRemaining()) {
            out.write(buf);
          }
          pos += n;
        }
        in.truncate(0);
      }
      Files.move(tmp, older, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // the file vanished or the disk is full: the next check tries again
    }
  }
}
