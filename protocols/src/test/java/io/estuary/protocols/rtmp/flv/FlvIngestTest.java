package io.estuary.protocols.rtmp.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.codec.aac.AudioSpecificConfig;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlvIngestTest {
    /** SPS and PPS of a 320x240 libx264 stream. */
    static final byte[] SPS = HexFormat.of().parseHex("6764000dacd94141fb0110000003001000000303c0f1429960");
    static final byte[] PPS = HexFormat.of().parseHex("68ebe3cb22c0");
    static final byte[] IDR = {0x65, (byte) 0x88, 0x11, 0x22};
    static final byte[] AUD = {0x09, (byte) 0xF0};

    private static final class Sink implements FrameSink {
        final List<List<TrackInfo>> announcements = new ArrayList<>();
        final List<MediaFrame> frames = new ArrayList<>();

        @Override
        public void updateTracks(List<TrackInfo> tracks) {
            announcements.add(tracks);
        }

        @Override
        public void publish(MediaFrame frame) {
            frames.add(frame);
        }
    }

    private static byte[] avcC(byte[] sps, byte[] pps) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(1).writeByte(sps[1]).writeByte(sps[2]).writeByte(sps[3]).writeByte(0xFF).writeByte(0xE1);
        b.writeShort(sps.length).writeBytes(sps).writeByte(1).writeShort(pps.length).writeBytes(pps);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /** Legacy FLV video tag: [frame type|codec 7] [AVC packet type] [CTS SI24] body. */
    private static ByteBuf video(boolean key, int packetType, int cts, byte[]... nals) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte((key ? 0x10 : 0x20) | 7).writeByte(packetType).writeMedium(cts);
        for (byte[] nal : nals) {
            if (packetType == 0) {
                b.writeBytes(nal);
            } else {
                b.writeInt(nal.length).writeBytes(nal);
            }
        }
        return b;
    }

    /** FLV audio tag: [AAC 10 | 44k | 16 bit | stereo] [AAC packet type] body. */
    private static ByteBuf audio(int packetType, byte[] body) {
        return Unpooled.buffer().writeByte(0xAF).writeByte(packetType).writeBytes(body);
    }

    private static void feedVideo(FlvIngest ingest, long ts, ByteBuf tag) {
        try {
            ingest.onVideo(ts, tag);
        } finally {
            tag.release();
        }
    }

    private static void feedAudio(FlvIngest ingest, long ts, ByteBuf tag) {
        try {
            ingest.onAudio(ts, tag);
        } finally {
            tag.release();
        }
    }

    @Test
    void sequenceHeadersAnnounceTracksAndFramesAreNormalized() {
        Sink sink = new Sink();
        FlvIngest ingest = new FlvIngest(sink, "live/t");
        feedVideo(ingest, 0, video(true, 0, 0, avcC(SPS, PPS)));
        feedAudio(ingest, 0, audio(0, AudioSpecificConfig.aacLc(48_000, 2)));
        assertTrue(sink.announcements.isEmpty(), "announced with the first media frame");
        // Keyframe with AUD, in-band SPS/PPS identical to the config, the IDR; CTS 66 ms
        feedVideo(ingest, 1000, video(true, 1, 66, AUD, SPS, PPS, IDR));
        assertEquals(1, sink.announcements.size());
        List<TrackInfo> tracks = sink.announcements.get(0);
        assertEquals(320, ((AvcConfig) tracks.get(0).config()).width());
        assertEquals(48_000, ((AacConfig) tracks.get(1).config()).sampleRate());
        MediaFrame f = sink.frames.get(0);
        assertEquals(MediaType.VIDEO, f.type());
        assertEquals(90_000, f.dts());
        // 66 ms is two frames of the SPS's 30 fps, rounded to the millisecond: exactly two frames (FrameGrid)
        assertEquals(2 * 3000, f.compositionOffset());
        assertTrue(f.keyframe());
        assertArrayEquals(new byte[] {0, 0, 0, 4, 0x65, (byte) 0x88, 0x11, 0x22}, f.data(), "only the IDR is left");
        // Negative composition time (SI24 -33)
        feedVideo(ingest, 1033, video(false, 1, 0xFFFFDF, new byte[] {0x41, 1}));
        assertEquals(-3000, sink.frames.get(1).compositionOffset());
        assertEquals(90_000 + 3000, sink.frames.get(1).dts(), "1033 ms is the next frame at 30 fps");
        assertEquals(1, sink.announcements.size());
    }

    @Test
    void inBandParameterSetChangeRebuildsTheConfig() {
        Sink sink = new Sink();
        FlvIngest ingest = new FlvIngest(sink, "live/t");
        feedVideo(ingest, 0, video(true, 0, 0, avcC(SPS, PPS)));
        feedVideo(ingest, 0, video(true, 1, 0, IDR));
        byte[] otherPps = {0x68, (byte) 0xEE, 0x3C, (byte) 0x80};
        feedVideo(ingest, 33, video(true, 1, 0, otherPps, IDR));
        assertEquals(2, sink.announcements.size(), "codec change announced");
        AvcConfig changed = (AvcConfig) sink.announcements.get(1).get(0).config();
        assertArrayEquals(otherPps, changed.pps().get(0));
        assertEquals(8, sink.frames.get(1).data().length, "PPS stripped from the sample");
    }

    @Test
    void timestampsUnwrapAcross2To32() {
        Sink sink = new Sink();
        FlvIngest ingest = new FlvIngest(sink, "live/t");
        feedVideo(ingest, 0, video(true, 0, 0, avcC(SPS, PPS)));
        feedVideo(ingest, 0xFFFFFFF0L, video(true, 1, 0, IDR));
        feedVideo(ingest, 0x10L, video(false, 1, 0, IDR));
        feedVideo(ingest, 0x0CL, video(false, 1, 0, IDR)); // small backwards jitter stays near, no 49-day jump
        assertEquals(0xFFFFFFF0L * 90, sink.frames.get(0).dts());
        assertEquals(0x100000010L * 90, sink.frames.get(1).dts());
        assertEquals(0x10000000CL * 90, sink.frames.get(2).dts());
    }

    @Test
    void aacSnapsToTheSampleGridButKeepsRealGaps() {
        Sink sink = new Sink();
        FlvIngest ingest = new FlvIngest(sink, "live/a");
        feedAudio(ingest, 0, audio(0, AudioSpecificConfig.aacLc(48_000, 2)));
        long[] millis = {100, 121, 143, 164, 185, 1185};
        for (long ms : millis) {
            feedAudio(ingest, ms, audio(1, new byte[] {0x21, 0x10}));
        }
        long[] expected = {4800, 5824, 6848, 7872, 8896, 1185 * 48};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], sink.frames.get(i).dts(), "frame " + i);
        }
        assertEquals(List.of(2), sink.announcements.get(0).stream().map(TrackInfo::trackId).toList());
    }

    @Test
    void metadataMakesAnnouncementWaitForEveryTrack() {
        Sink sink = new Sink();
        FlvIngest ingest = new FlvIngest(sink, "live/t");
        ingest.onMetadata(StreamMetadata.from(Map.of("width", 320.0, "height", 240.0, "videocodecid", 7.0,
                "audiocodecid", 10.0)));
        feedAudio(ingest, 0, audio(0, AudioSpecificConfig.aacLc(44_100, 2)));
        feedAudio(ingest, 0, audio(1, new byte[] {1}));
        assertEquals(1, ingest.droppedFrames(), "video config still missing");
        feedVideo(ingest, 0, video(false, 1, 0, IDR));
        assertEquals(2, ingest.droppedFrames(), "frame of a track without config");
        feedVideo(ingest, 0, video(true, 0, 0, avcC(SPS, PPS)));
        feedVideo(ingest, 0, video(true, 1, 0, IDR));
        assertEquals(1, sink.announcements.size());
        assertEquals(2, sink.announcements.get(0).size());
    }

    @Test
    void unsupportedEnhancedCodecsAreDroppedAndCounted() {
        Sink sink = new Sink();
        FlvIngest ingest = new FlvIngest(sink, "live/t");
        // Enhanced video: IsExHeader | key frame (1) | SequenceStart (0), FourCC hvc1
        ByteBuf hevc = Unpooled.buffer().writeByte(0x80 | 0x10).writeBytes("hvc1".getBytes()).writeBytes(new byte[8]);
        feedVideo(ingest, 0, hevc);
        // Enhanced audio: ExHeader (9) | CodedFrames (1), FourCC Opus
        ByteBuf opus = Unpooled.buffer().writeByte(0x91).writeBytes("Opus".getBytes()).writeByte(0);
        feedAudio(ingest, 0, opus);
        assertEquals(2, ingest.unsupportedFrames());
        // Enhanced avc1 works like legacy AVC: SequenceStart, then CodedFramesX (no CTS)
        ByteBuf start = Unpooled.buffer().writeByte(0x90).writeBytes("avc1".getBytes()).writeBytes(avcC(SPS, PPS));
        feedVideo(ingest, 0, start);
        ByteBuf frame = Unpooled.buffer().writeByte(0x93).writeBytes("avc1".getBytes()).writeInt(4).writeBytes(IDR);
        feedVideo(ingest, 40, frame);
        assertEquals(1, sink.frames.size());
        assertEquals(40 * 90, sink.frames.get(0).dts());
    }

    @Test
    void unwrapperHandlesWrapAndJitter() {
        TimestampUnwrapper u = new TimestampUnwrapper();
        assertEquals(100, u.unwrap(100));
        assertEquals(90, u.unwrap(90));
        // 90 -> 2^32-1 is 91 ms back (a step is the signed 32-bit difference), not 49 days ahead
        assertEquals(-1, u.unwrap(0xFFFFFFFFL));
        assertEquals(5, u.unwrap(5));
        TimestampUnwrapper w = new TimestampUnwrapper();
        assertEquals(0xFFFFFF00L, w.unwrap(0xFFFFFF00L));
        assertEquals(0x100000010L, w.unwrap(0x10)); // forward across the wrap
    }
}
