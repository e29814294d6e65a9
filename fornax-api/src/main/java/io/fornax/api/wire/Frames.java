package io.fornax.api.wire;

import com.google.protobuf.MessageLite;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;

/**
 * The Fornax wire format: each frame is a 4-byte big-endian length followed by that many bytes of
 * one protobuf message ({@code Request} towards a replica, {@code Response} back). Frames longer
 * than the limit fail the decoder, which closes only that connection.
 */
public final class Frames {
  /** Handler names, so callers can find or replace them. */
  public static final String FRAME_DECODER = "frame-decoder";
  public static final String PROTO_DECODER = "proto-decoder";
  public static final String FRAME_ENCODER = "frame-encoder";
  public static final String PROTO_ENCODER = "proto-encoder";

  private Frames() {}

  /** Adds the framing and protobuf codecs for inbound messages of type {@code inbound}. */
  public static void addCodec(ChannelPipeline pipeline, MessageLite inbound, int maxFrameBytes) {
    pipeline.addLast(FRAME_DECODER, new FrameDecoder(maxFrameBytes));
    pipeline.addLast(PROTO_DECODER, new ProtobufDecoder(inbound));
    pipeline.addLast(FRAME_ENCODER, new LengthFieldPrepender(4));
    pipeline.addLast(PROTO_ENCODER, new ProtobufEncoder());
  }

  /** The length-prefix decoder; it can tell whether a frame has begun but not yet arrived whole. */
  public static final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    public FrameDecoder(int maxFrameBytes) {
      super(maxFrameBytes, 0, 4, 0, 4);
    }

    public boolean hasPartialFrame() {
      return actualReadableBytes() > 0;
    }
  }
}
