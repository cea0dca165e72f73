package io.estuary.protocols.whip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.OpusConfig;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.PublisherInfo;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamRegistry;
import io.estuary.media.router.StreamSubscriber;
import io.estuary.protocols.webrtc.sdp.Negotiation;
import io.estuary.protocols.webrtc.sdp.SdpOffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The media half of a session on real RTP: ffmpeg's packetization of a 2 s 640x360 H.264 clip (the depacketizer's
 * capture) with Opus packets starting a little after the first picture, as a browser sends them. The tracks are
 * announced once, both together; frames come out in order; a lost packet is NACKed, then given up for a PLI.
 */
class WhipMediaTest {
    private static final long MS = 1_000_000L;
    private static final int RTCP_RTPFB = 205;
    private static final int RTCP_PSFB = 206;

    private final List<List<TrackInfo>> announced = new CopyOnWriteArrayList<>();
    private final List<MediaFrame> frames = new CopyOnWriteArrayList<>();
    private final WhipStats stats = new WhipStats();

    @Test
    void audioStartingAfterTheFirstPictureIsAnnouncedWithItOnce() throws Exception {
        WhipMedia media = media();
        List<byte[]> video = capture();
        long start = 1_000 * MS;
        int audioSeq = 0;
        long lastVideoTs = -1;
        long now = start;
        for (byte[] rtp : video) {
            long ts = ByteBuffer.wrap(rtp, 4, 4).getInt() & 0xFFFFFFFFL;
            if (lastVideoTs >= 0 && ts != lastVideoTs) {
                now += 33 * MS;
                // Opus from 100 ms on, a packet per 20 ms of elapsed time
                while (now - start >= 100 * MS + audioSeq * 20L * MS) {
                    media.onRtp(opus(audioSeq, audioSeq * 960L), 12 + 3, now);
                    audioSeq++;
                }
            }
            lastVideoTs = ts;
            media.onRtp(rtp, rtp.length, now);
            media.tick(now);
        }
        media.tick(now + 100 * MS);

        assertEquals(1, announced.size(), "announced once: " + announced);
        List<TrackInfo> tracks = announced.get(0);
        assertEquals(2, tracks.size(), tracks.toString());
        AvcConfig avc = (AvcConfig) tracks.get(0).config();
        assertEquals(640, avc.width());
        assertEquals(360, avc.height());
        assertTrue(tracks.get(1).config() instanceof OpusConfig);

        List<MediaFrame> videoFrames = frames.stream().filter(f -> f.type() == MediaType.VIDEO).toList();
        assertEquals(60, videoFrames.size(), "every picture of the capture");
        assertTrue(videoFrames.get(0).keyframe());
        for (int i = 1; i < videoFrames.size(); i++) {
            assertTrue(videoFrames.get(i).dts() > videoFrames.get(i - 1).dts(), "video dts increase");
        }
        long audioFrames = frames.stream().filter(f -> f.type() == MediaType.AUDIO).count();
        assertTrue(audioFrames >= audioSeq - 2 && audioFrames > 50, audioFrames + " of " + audioSeq + " audio frames");
        assertEquals(60, stats.videoFrames());
    }

    @Test
    void aLostPacketIsNackedThenGivenUpForAKeyframe() throws Exception {
        WhipMedia media = media();
        List<byte[]> video = capture();
        long now = 1_000 * MS;
        int lost = video.size() / 2;
        boolean nacked = false;
        for (int i = 0; i < video.size(); i++) {
            now += 5 * MS;
            if (i != lost) {
                media.onRtp(video.get(i), video.get(i).length, now);
            }
            for (byte[] rtcp : media.tick(now)) {
                nacked |= i > lost && containsPacketType(rtcp, RTCP_RTPFB);
            }
        }
        assertTrue(nacked, "the gap was NACKed");
        assertTrue(stats.nackedPackets() >= 1, "counted as NACKed");
        boolean pli = false;
        for (int t = 0; t < 20; t++) {
            now += 100 * MS;
            for (byte[] rtcp : media.tick(now)) {
                pli |= containsPacketType(rtcp, RTCP_PSFB);
            }
        }
        assertTrue(pli, "a keyframe was asked for once the packet was given up");
        assertEquals(1, stats.packetsLost());
        assertTrue(stats.keyframeRequests() >= 1);
    }

    private WhipMedia media() throws Exception {
        LiveStream stream = new StreamRegistry().publish(new StreamKey("live", "cam"),
                new PublisherInfo("whip", "127.0.0.1", 1, null), r -> { });
        stream.subscribe(new StreamSubscriber() {
            @Override
            public void onTracks(List<TrackInfo> tracks) {
                announced.add(tracks);
            }

            @Override
            public void onFrame(MediaFrame frame) {
                frames.add(frame);
            }

            @Override
            public void onEnd() {
            }
        }, Runnable::run, 4096);
        Negotiation negotiation = Negotiation.of(SdpOffer.parse(WhipServiceTest.OFFER));
        return new WhipMedia(negotiation, stream, WhipConfig.defaults(), stats, 1_000 * MS);
    }

    /** An RTP packet of payload type 111 carrying a 3-byte stand-in for an Opus packet. */
    private static byte[] opus(int seq, long timestamp) {
        ByteBuffer b = ByteBuffer.allocate(15);
        b.put((byte) 0x80).put((byte) 111).putShort((short) seq).putInt((int) timestamp).putInt(0x0A0B0C0D);
        b.put((byte) 0xFC).put((byte) 0xFF).put((byte) 0xFE);
        return b.array();
    }

    /** Whether a compound RTCP packet holds a packet of {@code type}. */
    private static boolean containsPacketType(byte[] rtcp, int type) {
        int i = 0;
        while (i + 4 <= rtcp.length) {
            if ((rtcp[i + 1] & 0xFF) == type) {
                return true;
            }
            i += ((((rtcp[i + 2] & 0xFF) << 8) | (rtcp[i + 3] & 0xFF)) + 1) * 4;
        }
        return false;
    }

    /** The datagrams of the depacketizer's ffmpeg capture (each: a 2-byte length, then the datagram). */
    private static List<byte[]> capture() throws IOException {
        try (InputStream in = WhipMediaTest.class.getResourceAsStream(
                "/io/estuary/protocols/webrtc/rtp/testsrc2-640x360-baseline.rtp")) {
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes());
            List<byte[]> out = new ArrayList<>();
            while (b.hasRemaining()) {
                byte[] d = new byte[b.getShort() & 0xFFFF];
                b.get(d);
                out.add(d);
            }
            return out;
        }
    }
}
