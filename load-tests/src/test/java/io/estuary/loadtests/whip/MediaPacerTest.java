package io.estuary.loadtests.whip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.protocols.webrtc.rtp.Rtcp;
import io.estuary.protocols.webrtc.rtp.RtcpPacket;
import io.estuary.protocols.webrtc.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A 40 ms clip (two 20 ms pictures, two Opus packets) paced until 13 Opus packets are out (240 ms of media): several
 * loops, whose timestamps and sequence numbers carry on as one stream, sent no faster than the timestamps, with
 * each IDR picture led by its parameter sets, and a sender report of both sources.
 */
class MediaPacerTest {
    private static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E};
    private static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};

    @Test
    void loopsContinueTheTimestampsInRealTime() throws Exception {
        WhipClip clip = new WhipClip(SPS, PPS, List.of(
                new WhipClip.Picture(0, true, List.of(new byte[] {0x65, 1})),
                new WhipClip.Picture(1800, false, List.of(new byte[] {0x41, 2}))),
                List.of(new WhipClip.OpusPacket(0, new byte[] {(byte) 0xFC, 1}),
                        new WhipClip.OpusPacket(960, new byte[] {(byte) 0xFC, 2})), 40_000);
        SrtpPair srtp = new SrtpPair();
        RtpStream video = new RtpStream(96, 1, 90_000, 16, srtp.publisher);
        RtpStream audio = new RtpStream(111, 2, 48_000, 0, srtp.publisher);
        srtp.receive(new RtpStream(96, 99, 90_000, 0, srtp.publisher).packet(true, 0, new byte[] {1})); // warm up
        List<byte[]> media = new ArrayList<>();
        List<byte[]> control = new ArrayList<>();
        AtomicLong late = new AtomicLong();
        AtomicLong audioSent = new AtomicLong();
        long[] firstAndLast = new long[2];
        new MediaPacer(clip, video, audio, srtp.publisher, "t", new MediaPacer.Output() {
            @Override
            public void media(byte[] packet) {
                firstAndLast[media.isEmpty() ? 0 : 1] = System.nanoTime();
                media.add(packet);
                if ((packet[1] & 0x7F) == 111) {
                    audioSent.incrementAndGet();
                }
            }

            @Override
            public void control(byte[] packet) {
                control.add(packet);
            }

            @Override
            public void late(long nanos) {
                late.accumulateAndGet(nanos, Math::max);
            }
        }).run(() -> audioSent.get() < 13);

        List<RtpPacket> videoPackets = new ArrayList<>();
        List<RtpPacket> audioPackets = new ArrayList<>();
        for (byte[] m : media) {
            RtpPacket p = srtp.receive(m);
            (p.payloadType() == 96 ? videoPackets : audioPackets).add(p);
        }
        // Audio every 20 ms from 0 to 240 ms, video every 20 ms from 100 ms to 240 ms (8 pictures); each IDR picture
        // (every other one) is a STAP-A and the slice.
        assertEquals(13, audioPackets.size());
        assertTrue(firstAndLast[1] - firstAndLast[0] >= 239_000_000L, "not faster than real time");
        int pictures = 0;
        for (int i = 0; i < videoPackets.size(); i++) {
            RtpPacket p = videoPackets.get(i);
            assertEquals(videoPackets.get(0).sequenceNumber() + i, p.sequenceNumber());
            if (p.marker()) {
                assertEquals(videoPackets.get(0).timestamp() + 1800L * pictures, p.timestamp(), "picture " + pictures);
                pictures++;
            }
            boolean idr = pictures % 2 == 0 && !p.marker();
            assertEquals(idr ? 24 : (pictures % 2 == 1 ? 5 : 1), p.payload()[0] & 0x1F, "packet " + i);
        }
        assertEquals(8, pictures);
        for (int i = 0; i < audioPackets.size(); i++) {
            assertEquals(audioPackets.get(0).timestamp() + 960L * i, audioPackets.get(i).timestamp());
            assertEquals(i == 0, audioPackets.get(i).marker());
        }
        // One report per source at 110 ms, after the first picture; both name the same wall-clock instant.
        assertEquals(2, control.size());
        List<RtcpPacket.SenderReport> reports = new ArrayList<>();
        for (byte[] c : control) {
            byte[] copy = c.clone();
            int n = srtp.server.unprotectRtcp(copy, 0, copy.length);
            reports.add((RtcpPacket.SenderReport) Rtcp.parse(copy, 0, n).get(0));
        }
        assertEquals(reports.get(0).ntpTimestamp(), reports.get(1).ntpTimestamp());
        assertEquals(videoPackets.get(0).timestamp() + 110 * 90, reports.get(0).rtpTimestamp());
        assertEquals(audioPackets.get(0).timestamp() + 110 * 48, reports.get(1).rtpTimestamp());
        assertTrue(late.get() < 100_000_000L, "paced on time: " + late.get());
    }
}
