package io.fornax.it;

import io.fornax.api.proto.Response;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** A plain socket to a replica's API, for sending what no client library would. */
final class RawConnection implements AutoCloseable {
  private final Socket socket = new Socket();
  private final OutputStream out;
  private final DataInputStream in;

  RawConnection(String hostPort, int readTimeoutMs) throws IOException {
    String[] hp = hostPort.split(":");
    socket.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 2_000);
    socket.setSoTimeout(readTimeoutMs);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
  }

  /** Writes {@code body} behind a 4-byte length prefix that says {@code declared}. */
  RawConnection frame(int declared, byte[] body) throws IOException {
    out.write(ByteBuffer.allocate(4).putInt(declared).array());
    out.write(body);
    out.flush();
    return this;
  }

  RawConnection send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** The next response frame, or null if the server closed the connection first. */
  Response read() throws IOException {
    try {
      int len = in.readInt();
      byte[] b = new byte[len];
      in.readFully(b);
      return Response.parseFrom(b);
    } catch (EOFException e) {
      return null;
    }
  }

  /** Whether the server has closed the connection (reads past any frames it sent last). */
  boolean closedByServer() throws IOException {
    InputStream raw = in;
    try {
      byte[] skip = new byte[4096];
      while (true) {
        if (raw.read(skip) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
