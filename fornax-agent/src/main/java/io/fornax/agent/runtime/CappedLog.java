package io.fornax.agent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Copies an instance's output stream to a file of at most {@code maxBytes}; when full, the file
 * becomes {@code <name>.1} (replacing the previous one) and a new one starts, so at most
 * 2 × maxBytes are kept per stream however much the instance writes.
 */
final class CappedLog implements Runnable {
  private final InputStream in;
  private final Path file;
  private final long maxBytes;

  CappedLog(InputStream in, Path file, long maxBytes) {
    this.in = in;
    this.file = file;
    this.maxBytes = maxBytes;
  }

  static Thread pump(InputStream in, Path file, long maxBytes, String name) {
    Thread t = new Thread(new CappedLog(in, file, maxBytes), name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void run() {
    byte[] buf = new byte[8192];
    try {
      OutputStream out = Files.newOutputStream(file);
      long written = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        int off = 0;
        while (off < n) {
          if (written == maxBytes) {
            out.close();
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"),
                StandardCopyOption.REPLACE_EXISTING);
            out = Files.newOutputStream(file);
            written = 0;
          }
          int chunk = (int) Math.min(n - off, maxBytes - written);
          out.write(buf, off, chunk);
          off += chunk;
          written += chunk;
        }
        out.flush();
      }
      out.close();
    } catch (IOException e) {
      // the instance is gone or the disk is: nothing more to copy
    }
  }
}
