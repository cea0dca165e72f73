package io.estuary.protocols.webrtc.rtp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The RTCP a WHIP ingest sends. Each method returns one compound packet that starts, as RFC 3550 (6.1) and
 * RFC 4585 (3.1) require, with a receiver report and an SDES CNAME, then carries the feedback message if any.
 */
public final class RtcpWriter {
    private static final int MAX_REPORT_BLOCKS = 31;
    private static final int SDES_CNAME = 1;
    private static final int FMT_GENERIC_NACK = 1;
    private static final int FMT_PLI = 1;
    private static final int FMT_FIR = 4;
    /** An RTCP length field counts 32-bit words minus one in 16 bits. */
    private static final int MAX_PACKET_BYTES = 4 * 65536;

    private RtcpWriter() {
    }

    public static byte[] receiverReport(long senderSsrc, String cname, List<ReportBlock> blocks) {
        return compound(senderSsrc, cname, blocks, null);
    }

    /**
     * Generic NACK (RFC 4585, 6.2.1): each FCI entry names a lost packet (PID) and, in its bitmask (BLP), which of
     * the 16 packets after it are lost as well. {@code lostSeqs} are taken in order (as
     * {@link ReceiveStream#nacksDue} returns them); a sequence number within 16 after the current PID joins its
     * BLP, any other starts a new entry.
     */
    public static byte[] nack(long senderSsrc, String cname, List<ReportBlock> blocks, long mediaSsrc,
            List<Integer> lostSeqs) {
        if (lostSeqs.isEmpty()) {
            throw new IllegalArgumentException("a NACK needs at least one lost sequence number");
        }
        List<Integer> fci = new ArrayList<>();
        int pid = -1;
        int blp = 0;
        for (int seq : lostSeqs) {
            if (seq < 0 || seq > 0xffff) {
                throw new IllegalArgumentException("sequence number out of range: " + seq);
            }
            int distance = pid < 0 ? -1 : (seq - pid) & 0xffff;
            if (distance >= 1 && distance <= 16) {
                blp |= 1 << (distance - 1);
            } else if (distance != 0) {
                if (pid >= 0) {
                    fci.add(pid << 16 | blp);
                }
                pid = seq;
                blp = 0;
            }
        }
        fci.add(pid << 16 | blp);
        ByteBuffer feedback = feedbackHeader(Rtcp.RTPFB, FMT_GENERIC_NACK, 2 + fci.size(), senderSsrc, mediaSsrc);
        fci.forEach(feedback::putInt);
        return compound(senderSsrc, cname, blocks, feedback.array());
    }

    /** Picture Loss Indication (RFC 4585, 6.3.1): no FCI. */
    public static byte[] pli(long senderSsrc, String cname, List<ReportBlock> blocks, long mediaSsrc) {
        return compound(senderSsrc, cname, blocks,
                feedbackHeader(Rtcp.PSFB, FMT_PLI, 2, senderSsrc, mediaSsrc).array());
    }

    /**
     * Full Intra Request (RFC 5104, 4.3.1): the media source field of the common header is unused (0); the FCI
     * names the source and a command sequence number the sender increments for each new request (not for
     * repetitions of the same one).
     */
    public static byte[] fir(long senderSsrc, String cname, List<ReportBlock> blocks, long mediaSsrc, int firSeq) {
        ByteBuffer feedback = feedbackHeader(Rtcp.PSFB, FMT_FIR, 4, senderSsrc, 0);
        feedback.putInt((int) mediaSsrc);
        feedback.putInt((firSeq & 0xff) << 24); // seq nr, then 24 reserved bits
        return compound(senderSsrc, cname, blocks, feedback.array());
    }

    private static ByteBuffer feedbackHeader(int type, int fmt, int lengthWords, long senderSsrc, long mediaSsrc) {
        if (4 * (lengthWords + 1) > MAX_PACKET_BYTES) {
            throw new IllegalArgumentException("feedback message too long: " + lengthWords + " words");
        }
        ByteBuffer b = ByteBuffer.allocate(4 * (lengthWords + 1));
        b.put((byte) (0x80 | fmt)).put((byte) type).putShort((short) lengthWords);
        b.putInt((int) senderSsrc).putInt((int) mediaSsrc);
        return b;
    }

    private static byte[] compound(long senderSsrc, String cname, List<ReportBlock> blocks, byte[] feedback) {
        if (blocks.size() > MAX_REPORT_BLOCKS) {
            throw new IllegalArgumentException("an RR carries at most 31 report blocks, not " + blocks.size());
        }
        byte[] name = cname.getBytes(StandardCharsets.UTF_8);
        if (name.length > 255) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes");
        }
        int rrBytes = 8 + 24 * blocks.size();
        // SDES chunk: SSRC, CNAME item (type, length, text), then at least one zero octet (the END item) up to
        // the next 32-bit boundary.
        int chunkBytes = (4 + 2 + name.length + 4) & ~3;
        int sdesBytes = 4 + chunkBytes;
        int feedbackBytes = feedback == null ? 0 : feedback.length;
        ByteBuffer b = ByteBuffer.allocate(rrBytes + sdesBytes + feedbackBytes);
        b.put((byte) (0x80 | blocks.size())).put((byte) Rtcp.RR).putShort((short) (rrBytes / 4 - 1));
        b.putInt((int) senderSsrc);
        for (ReportBlock block : blocks) {
            b.putInt((int) block.ssrc());
            int lost = Math.max(-0x800000, Math.min(0x7fffff, block.cumulativeLost()));
            b.putInt((block.fractionLost() & 0xff) << 24 | (lost & 0xffffff));
            b.putInt((int) block.extendedHighestSeq());
            b.putInt((int) block.jitter());
            b.putInt((int) block.lastSr());
            b.putInt((int) block.delaySinceLastSr());
        }
        b.put((byte) 0x81).put((byte) Rtcp.SDES).putShort((short) (sdesBytes / 4 - 1));
        b.putInt((int) senderSsrc);
        b.put((byte) SDES_CNAME).put((byte) name.length).put(name);
        // the rest of the chunk stays zero: END item and padding
        b.position(rrBytes + sdesBytes);
        if (feedback != null) {
            b.put(feedback);
        }
        return b.array();
    }
}
