package io.estuary.loadtests.whip;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The RTCP of a sender (RFC 3550, RFC 4585): the sender reports it writes, and the feedback it acts on in what the
 * server sends back: generic NACKs (retransmit these packets) and PLI or FIR (a keyframe, please). Receiver reports
 * and everything else are skipped by their length.
 */
final class PublisherRtcp {
    static final int SR = 200;
    static final int SDES = 202;
    static final int RTPFB = 205;
    static final int PSFB = 206;
    private static final int FMT_NACK = 1;
    private static final int FMT_PLI = 1;
    private static final int FMT_FIR = 4;
    private static final int SDES_CNAME = 1;
    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    static final long NTP_UNIX_OFFSET = 2_208_988_800L;
    /** Packets in one compound; the server sends two or three. A bound against a packet of empty headers. */
    private static final int MAX_PACKETS = 64;

    private PublisherRtcp() {
    }

    /** What the server asked for. */
    sealed interface Request {
    }

    /** Generic NACK (RFC 4585 section 6.2.1): the packets of {@code mediaSsrc} to send again. */
    record Nack(long mediaSsrc, List<Integer> sequenceNumbers) implements Request {
        Nack {
            sequenceNumbers = List.copyOf(sequenceNumbers);
        }
    }

    /** PLI (RFC 4585 section 6.3.1) or FIR (RFC 5104 section 4.3.1): a keyframe of {@code mediaSsrc}. */
    record KeyframeRequest(long mediaSsrc, boolean fir) implements Request {
    }

    /**
     * A sender report (RFC 3550 section 6.4.1) without report blocks (we receive nothing), then an SDES with our
     * CNAME, as one compound packet: the NTP time is the wall clock at which the source's RTP clock read
     * {@code rtpTimestamp}, which is what the receiver's lip sync needs.
     */
    static byte[] senderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packets, long octets,
            String cname) {
        byte[] name = cname.getBytes(StandardCharsets.US_ASCII);
        if (name.length > 255) {
            throw new IllegalArgumentException("CNAME over 255 bytes");
        }
        // SDES chunk: SSRC, CNAME item (type, length, text), then at least one zero byte ending the item list,
        // padded to 32 bits (RFC 3550 section 6.5).
        int chunk = 4 + 2 + name.length;
        int sdesBody = (chunk + 4) / 4 * 4;
        ByteBuffer b = ByteBuffer.allocate(28 + 4 + sdesBody);
        b.put((byte) 0x80).put((byte) SR).putShort((short) 6);
        b.putInt((int) ssrc).putLong(ntpTimestamp).putInt((int) rtpTimestamp).putInt((int) packets)
                .putInt((int) octets);
        b.put((byte) 0x81).put((byte) SDES).putShort((short) (sdesBody / 4));
        b.putInt((int) ssrc).put((byte) SDES_CNAME).put((byte) name.length).put(name);
        return b.array(); // the rest is the zero padding
    }

    /** The NTP timestamp (RFC 3550 section 4: seconds since 1900, 32.32 fixed point) of a Unix time in nanoseconds. */
    static long ntp(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, 1_000_000_000L);
        long nanos = Math.floorMod(unixNanos, 1_000_000_000L);
        return (seconds + NTP_UNIX_OFFSET) << 32 | (nanos << 32) / 1_000_000_000L;
    }

    /**
     * The requests in one decrypted RTCP compound packet.
     *
     * @throws IllegalArgumentException when a header or length does not fit the datagram
     */
    static List<Request> requests(byte[] d, int len) {
        List<Request> out = new ArrayList<>(2);
        int at = 0;
        int count = 0;
        while (at + 4 <= len) {
            if (++count > MAX_PACKETS) {
                throw new IllegalArgumentException("more than " + MAX_PACKETS + " RTCP packets in one datagram");
            }
            if ((d[at] & 0xC0) != 0x80) {
                throw new IllegalArgumentException("RTCP version is not 2 at byte " + at);
            }
            int fmt = d[at] & 0x1F;
            int type = d[at + 1] & 0xFF;
            int end = at + 4 + 4 * ((d[at + 2] & 0xFF) << 8 | d[at + 3] & 0xFF);
            if (end > len) {
                throw new IllegalArgumentException("RTCP packet of type " + type + " runs past the datagram");
            }
            if (type == RTPFB && fmt == FMT_NACK && end - at >= 12) {
                out.add(nack(d, at + 12, end, u32(d, at + 8)));
            } else if (type == PSFB && fmt == FMT_PLI && end - at >= 12) {
                out.add(new KeyframeRequest(u32(d, at + 8), false));
            } else if (type == PSFB && fmt == FMT_FIR && end - at >= 20) {
                out.add(new KeyframeRequest(u32(d, at + 12), true)); // FIR names the source in its FCI
            }
            at = end;
        }
        return out;
    }

    /** Each FCI is a packet ID and a bitmask of the 16 that follow it (RFC 4585 section 6.2.1). */
    private static Nack nack(byte[] d, int from, int end, long mediaSsrc) {
        List<Integer> seqs = new ArrayList<>();
        for (int at = from; at + 4 <= end; at += 4) {
            int pid = (d[at] & 0xFF) << 8 | d[at + 1] & 0xFF;
            int blp = (d[at + 2] & 0xFF) << 8 | d[at + 3] & 0xFF;
            seqs.add(pid);
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & 1 << bit) != 0) {
                    seqs.add((pid + bit + 1) & 0xFFFF);
                }
            }
        }
        return new Nack(mediaSsrc, seqs);
    }

    private static long u32(byte[] d, int at) {
        return (d[at] & 0xFFL) << 24 | (d[at + 1] & 0xFF) << 16 | (d[at + 2] & 0xFF) << 8 | d[at + 3] & 0xFF;
    }
}
