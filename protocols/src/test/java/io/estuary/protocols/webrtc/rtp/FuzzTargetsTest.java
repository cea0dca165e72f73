package io.estuary.protocols.webrtc.rtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * Jazzer fuzz targets for the RTP-side parsers. Without JAZZER_FUZZ they replay their seed inputs (under
 * src/test/resources) as ordinary tests. The only acceptable failure is an {@link RtpException}.
 */
class FuzzTargetsTest {

    @FuzzTest(maxDuration = "30s")
    void rtpPacket(byte[] input) {
        try {
            RtpPacket p = RtpPacket.parse(input, 0, input.length);
            if (p.payload().length > input.length) {
                throw new AssertionError("payload larger than the datagram");
            }
        } catch (RtpException expected) {
            // bad input is allowed to be refused
        }
    }

    @FuzzTest(maxDuration = "30s")
    void rtcp(byte[] input) {
        try {
            Rtcp.isRtcp(input, 0, input.length);
            Rtcp.parse(input, 0, input.length);
        } catch (RtpException expected) {
            // bad input is allowed to be refused
        }
    }

    /**
     * The input is a run of datagrams, each behind a 2-byte length (the format of the ffmpeg capture); each goes
     * through the receive stream, the depacketizer and the assembler, as in a WHIP session.
     */
    @FuzzTest(maxDuration = "30s")
    void h264Depacketizer(byte[] input) {
        ReceiveStream stream = new ReceiveStream(1, 90_000,
                new ReceiveStream.Settings(64, Duration.ofMillis(40), 3, Duration.ofMillis(100)));
        H264Depacketizer depacketizer = new H264Depacketizer();
        H264Assembler assembler = new H264Assembler();
        ByteBuffer in = ByteBuffer.wrap(input);
        long now = 0;
        while (in.remaining() >= 2) {
            int length = Math.min(in.getShort() & 0xffff, in.remaining());
            byte[] datagram = Arrays.copyOfRange(input, in.position(), in.position() + length);
            in.position(in.position() + length);
            now += 7_000_000L;
            try {
                stream.receive(RtpPacket.parse(datagram, 0, length), now);
                stream.nacksDue(now);
                for (ReceiveStream.Released r : stream.release(now)) {
                    depacketizer.push(r.packet(), r.afterGap()).forEach(assembler::assemble);
                }
                OpusDepacketizer.samplesPerPacket(datagram);
            } catch (RtpException expected) {
                // bad input is allowed to be refused
            }
        }
        stream.reportBlock(now);
    }
}
