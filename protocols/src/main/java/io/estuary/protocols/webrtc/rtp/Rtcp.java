package io.estuary.protocols.webrtc.rtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Parsing of RTCP compound packets (RFC 3550, section 6) and telling them from RTP on a muxed port. */
public final class Rtcp {
    static final int SR = 200;
    static final int RR = 201;
    static final int SDES = 202;
    static final int BYE = 203;
    static final int RTPFB = 205;
    static final int PSFB = 206;

    /** More packets than this in one datagram is not a compound packet any sender makes. */
    private static final int MAX_PACKETS = 64;

    private Rtcp() {
    }

    /**
     * RFC 5761, section 4: on a port carrying both, a packet is RTCP when its second byte (RTP's marker bit and
     * payload type) reads 192 to 223, the RTCP packet types that no RTP payload type can collide with. The
     * version must be 2 as well, which also keeps STUN and DTLS (RFC 7983) out.
     */
    public static boolean isRtcp(byte[] d, int off, int len) {
        if (len < 4) {
            return false;
        }
        int type = d[off + 1] & 0xff;
        return (d[off] & 0xc0) == 0x80 && type >= 192 && type <= 223;
    }

    /** Parses every packet of a compound packet; each length is checked against what is left. */
    public static List<RtcpPacket> parse(byte[] d, int off, int len) throws RtpException {
        Objects.checkFromIndexSize(off, len, d.length);
        if (len < 4) {
            throw new RtpException("RTCP packet of " + len + " bytes is shorter than its 4-byte header");
        }
        List<RtcpPacket> packets = new ArrayList<>();
        int pos = off;
        int end = off + len;
        while (pos < end) {
            if (packets.size() == MAX_PACKETS) {
                throw new RtpException("more than " + MAX_PACKETS + " packets in one RTCP compound packet");
            }
            if (end - pos < 4) {
                throw new RtpException(end - pos + " bytes left over after the last RTCP packet");
            }
            int first = d[pos] & 0xff;
            if (first >>> 6 != 2) {
                throw new RtpException("RTCP version " + (first >>> 6) + " is not 2");
            }
            int count = first & 0x1f;
            int type = d[pos + 1] & 0xff;
            int size = 4 * (RtpPacket.u16(d, pos + 2) + 1);
            if (size > end - pos) {
                throw new RtpException("RTCP packet type " + type + " claims " + size + " bytes, " + (end - pos)
                        + " left");
            }
            int bodyEnd = pos + size;
            if ((first & 0x20) != 0) {
                // RFC 3550 6.4.1: padding counts itself, and only the last packet of a compound may carry it.
                int padding = d[bodyEnd - 1] & 0xff;
                if (bodyEnd != end || padding == 0 || padding > size - 4) {
                    throw new RtpException("bad RTCP padding of " + padding + " bytes in a " + size
                            + "-byte packet");
                }
                bodyEnd -= padding;
            }
            packets.add(parseOne(d, pos, bodyEnd, type, count));
            pos += size;
        }
        return packets;
    }

    private static RtcpPacket parseOne(byte[] d, int pos, int bodyEnd, int type, int count) throws RtpException {
        int bodyLength = bodyEnd - pos;
        switch (type) {
            case SR -> {
                requireLength(bodyLength, 28 + 24 * count, "SR with " + count + " report blocks");
                long ntp = RtpPacket.u32(d, pos + 8) << 32 | RtpPacket.u32(d, pos + 12);
                return new RtcpPacket.SenderReport(RtpPacket.u32(d, pos + 4), ntp, RtpPacket.u32(d, pos + 16),
                        RtpPacket.u32(d, pos + 20), RtpPacket.u32(d, pos + 24));
            }
            case RR -> {
                requireLength(bodyLength, 8 + 24 * count, "RR with " + count + " report blocks");
                return new RtcpPacket.ReceiverReport(RtpPacket.u32(d, pos + 4));
            }
            case BYE -> {
                requireLength(bodyLength, 4 + 4 * count, "BYE of " + count + " sources");
                List<Long> ssrcs = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ssrcs.add(RtpPacket.u32(d, pos + 4 + 4 * i));
                }
                return new RtcpPacket.Bye(ssrcs);
            }
            default -> {
                return new RtcpPacket.Other(type);
            }
        }
    }

    private static void requireLength(int have, int need, String what) throws RtpException {
        if (have < need) {
            throw new RtpException("RTCP " + what + " needs " + need + " bytes, has " + have);
        }
    }
}
