package io.estuary.protocols.webrtc.rtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The ffmpeg RTP capture and the Annex-B file it was sent from (see the README beside them). */
final class RtpCapture {
    static final String H264 = "testsrc2-640x360-baseline.h264";
    static final String RTP = "testsrc2-640x360-baseline.rtp";

    private RtpCapture() {
    }

    static List<RtpPacket> load() throws RtpException {
        ByteBuffer in = ByteBuffer.wrap(resource(RTP));
        List<RtpPacket> packets = new ArrayList<>();
        while (in.hasRemaining()) {
            int length = in.getShort() & 0xffff;
            byte[] datagram = new byte[length];
            in.get(datagram);
            packets.add(RtpPacket.parse(datagram, 0, length));
        }
        return packets;
    }

    /** The NAL units of the Annex-B file, split at its 3- and 4-byte start codes. */
    static List<byte[]> annexBNalUnits() {
        byte[] b = resource(H264);
        List<byte[]> nals = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 3 <= b.length) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                if (start >= 0) {
                    // a 4-byte start code's leading zero is not part of the previous NAL unit
                    nals.add(Arrays.copyOfRange(b, start, b[i - 1] == 0 ? i - 1 : i));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        nals.add(Arrays.copyOfRange(b, start, b.length));
        return nals;
    }

    static byte[] resource(String name) {
        try (InputStream in = RtpCapture.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
