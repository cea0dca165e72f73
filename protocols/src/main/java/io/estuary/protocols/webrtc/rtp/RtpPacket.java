package io.estuary.protocols.webrtc.rtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * A parsed RTP packet (RFC 3550, section 5.1). It owns its payload: {@link #parse} copies it out of the datagram,
 * so the caller may reuse its receive buffer. The payload array is shared, never copied again, and must not be
 * modified (the same convention as {@code MediaFrame}).
 */
public final class RtpPacket {
    static final int FIXED_HEADER_BYTES = 12;

    private final boolean marker;
    private final int payloadType;
    private final int sequenceNumber;
    private final long timestamp;
    private final long ssrc;
    private final byte[] payload;

    private RtpPacket(boolean marker, int payloadType, int sequenceNumber, long timestamp, long ssrc,
            byte[] payload) {
        this.marker = marker;
        this.payloadType = payloadType;
        this.sequenceNumber = sequenceNumber;
        this.timestamp = timestamp;
        this.ssrc = ssrc;
        this.payload = payload;
    }

    /**
     * Parses one RTP datagram: version 2, CSRC list, header extension and padding are skipped, each checked
     * against the datagram's length before it is trusted.
     */
    public static RtpPacket parse(byte[] datagram, int offset, int length) throws RtpException {
        Objects.checkFromIndexSize(offset, length, datagram.length);
        if (length < FIXED_HEADER_BYTES) {
            throw new RtpException("RTP packet of " + length + " bytes is shorter than the 12-byte header");
        }
        int first = datagram[offset] & 0xff;
        if (first >>> 6 != 2) {
            throw new RtpException("RTP version " + (first >>> 6) + " is not 2");
        }
        boolean padding = (first & 0x20) != 0;
        boolean extension = (first & 0x10) != 0;
        int csrcCount = first & 0x0f;
        int headerEnd = FIXED_HEADER_BYTES + 4 * csrcCount;
        if (headerEnd > length) {
            throw new RtpException(csrcCount + " CSRCs do not fit in a " + length + "-byte packet");
        }
        if (extension) {
            // RFC 3550 5.3.1: 16 bits profile-defined, 16 bits length in 32-bit words after this 4-byte header.
            if (headerEnd + 4 > length) {
                throw new RtpException("header extension header does not fit in a " + length + "-byte packet");
            }
            int words = u16(datagram, offset + headerEnd + 2);
            headerEnd += 4 + 4 * words;
            if (headerEnd > length) {
                throw new RtpException("header extension of " + words + " words does not fit in a " + length
                        + "-byte packet");
            }
        }
        int payloadEnd = length;
        if (padding) {
            // RFC 3550 5.1: the last octet counts the padding octets, itself included, so it is at least 1.
            int paddingBytes = datagram[offset + length - 1] & 0xff;
            if (paddingBytes == 0 || paddingBytes > length - headerEnd) {
                throw new RtpException("padding of " + paddingBytes + " bytes does not fit after a "
                        + headerEnd + "-byte header in a " + length + "-byte packet");
            }
            payloadEnd -= paddingBytes;
        }
        int second = datagram[offset + 1] & 0xff;
        return new RtpPacket((second & 0x80) != 0, second & 0x7f, u16(datagram, offset + 2),
                u32(datagram, offset + 4), u32(datagram, offset + 8),
                Arrays.copyOfRange(datagram, offset + headerEnd, offset + payloadEnd));
    }

    /** Builds a packet from its fields, for tests and for callers that unwrap retransmissions (RFC 4588). */
    public static RtpPacket of(boolean marker, int payloadType, int sequenceNumber, long timestamp, long ssrc,
            byte[] payload) {
        if (payloadType < 0 || payloadType > 127 || sequenceNumber < 0 || sequenceNumber > 0xffff
                || timestamp < 0 || timestamp > 0xffffffffL || ssrc < 0 || ssrc > 0xffffffffL) {
            throw new IllegalArgumentException("RTP header field out of range");
        }
        return new RtpPacket(marker, payloadType, sequenceNumber, timestamp, ssrc, payload.clone());
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    static long u32(byte[] b, int at) {
        return (long) (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    public boolean marker() {
        return marker;
    }

    public int payloadType() {
        return payloadType;
    }

    /** 16 bits, 0 to 65535. */
    public int sequenceNumber() {
        return sequenceNumber;
    }

    /** 32 bits, unsigned, in the payload type's clock rate. */
    public long timestamp() {
        return timestamp;
    }

    /** 32 bits, unsigned. */
    public long ssrc() {
        return ssrc;
    }

    /** The payload, without header, extension or padding; shared, do not modify. May be empty (padding only). */
    public byte[] payload() {
        return payload;
    }

    @Override
    public String toString() {
        return "RtpPacket[pt=" + payloadType + " seq=" + sequenceNumber + " ts=" + timestamp + " ssrc=" + ssrc
                + (marker ? " M" : "") + " " + payload.length + "B]";
    }
}
