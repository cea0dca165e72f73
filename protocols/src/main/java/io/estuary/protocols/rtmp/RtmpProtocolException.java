package io.estuary.protocols.rtmp;

import io.netty.handler.codec.DecoderException;

/** The peer broke the RTMP protocol; the message is the reason logged when its connection is closed. */
public final class RtmpProtocolException extends DecoderException {

    public RtmpProtocolException(String reason) {
        super(reason);
    }

    public RtmpProtocolException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
