package io.fornax.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One blocking connection to the session server over TCP or a Unix socket. Reads and writes go
 * straight to the channel (not through {@code Channels.newInputStream}, whose reads hold a lock
 * that writes need too): the reader thread blocks in a read while heartbeats are written.
 */
final class Connection implements AutoCloseable {
  private final SocketChannel channel;
  private final InputStream in;
  private final OutputStream out;

  private Connection(SocketChannel channel) {
    this.channel = channel;
    this.in = new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
      }
    };
    this.out = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
      }
    };
  }

  static Connection open(SocketAddress address) throws IOException {
    SocketChannel ch = address instanceof UnixDomainSocketAddress
        ? SocketChannel.open(StandardProtocolFamily.UNIX)
        : SocketChannel.open();
    try {
      if (address instanceof InetSocketAddress) {
        // A bounded connect, as for a Socket: a blocking channel connect has no timeout.
        ch.socket().connect(address, 5_000);
      } else {
        ch.connect(address);
      }
      return new Connection(ch);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  InputStream in() {
    return in;
  }

  OutputStream out() {
    return out;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
