package io.estuary.loadtests.whip;

import io.estuary.protocols.webrtc.srtp.SrtpSession;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One outgoing RTP source (RFC 3550): its SSRC, sequence numbers and timestamps from random starting points (as
 * section 5.1 asks), the SRTP protection of each packet, what the sender report counts, and, for video, a bounded
 * history of the protected packets so that a NACKed one is sent again byte for byte (no RTX was negotiated, so a
 * retransmission reuses the packet's SSRC and sequence number, RFC 4585 section 3.2).
 *
 * <p>The sending thread writes packets while the receiving thread looks up retransmissions: both hold the lock.
 */
final class RtpStream {
    private final int payloadType;
    private final long ssrc;
    private final int clockRate;
    private final long timestampBase = ThreadLocalRandom.current().nextLong(0, 1L << 32);
    private final SrtpSession srtp;
    private final int[] historySeqs;
    private final byte[][] history;
    private int nextSeq = ThreadLocalRandom.current().nextInt(0, 1 << 16);
    private long packets;
    private long octets;

    /**
     * @param historySize packets kept for retransmission, a power of two; 0 for none (audio is not NACKed)
     */
    RtpStream(int payloadType, long ssrc, int clockRate, int historySize, SrtpSession srtp) {
        if (historySize < 0 || Integer.bitCount(historySize) > 1) {
            throw new IllegalArgumentException("historySize must be 0 or a power of two, got " + historySize);
        }
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.clockRate = clockRate;
        this.srtp = srtp;
        this.historySeqs = new int[historySize];
        this.history = new byte[historySize][];
    }

    long ssrc() {
        return ssrc;
    }

    /**
     * The next packet, SRTP-protected: the payload at {@code mediaTicks} on this source's clock (from the start of
     * the stream, loops included).
     */
    synchronized byte[] packet(boolean marker, long mediaTicks, byte[] payload) {
        ByteBuffer rtp = ByteBuffer.allocate(12 + payload.length);
        rtp.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | payloadType)).putShort((short) nextSeq)
                .putInt((int) (timestampBase + mediaTicks)).putInt((int) ssrc).put(payload);
        byte[] protectedPacket = srtp.protectRtp(rtp.array());
        if (history.length > 0) {
            int slot = nextSeq & (history.length - 1);
            historySeqs[slot] = nextSeq;
            history[slot] = protectedPacket;
        }
        nextSeq = (nextSeq + 1) & 0xFFFF;
        packets++;
        octets += payload.length;
        return protectedPacket;
    }

    /** The protected packet with this sequence number, or null when it has left the history (or never was). */
    synchronized byte[] retransmission(int sequenceNumber) {
        if (history.length == 0) {
            return null;
        }
        int slot = sequenceNumber & (history.length - 1);
        return history[slot] != null && historySeqs[slot] == sequenceNumber ? history[slot] : null;
    }

    /**
     * A plain sender report for the instant {@code elapsedNanos} after the stream's media time 0, whose wall clock
     * time is {@code ntpTimestamp}: the receiver maps our RTP clock to wall time with it.
     */
    synchronized byte[] senderReport(long ntpTimestamp, long elapsedNanos, String cname) {
        long ticks = elapsedNanos / 1000 * clockRate / 1_000_000;
        return PublisherRtcp.senderReport(ssrc, ntpTimestamp, (timestampBase + ticks) & 0xFFFF_FFFFL, packets,
                octets, cname);
    }

    synchronized long packets() {
        return packets;
    }
}
