package io.estuary.packager.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.estuary.packager.drm.ContentKey;
import io.estuary.packager.drm.DrmSystem;
import io.estuary.packager.drm.EncryptionScheme;
import io.estuary.packager.drm.StreamProtection;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Encrypted packaging into a real decrypting demuxer: the same ffmpeg-made H.264 (with B-frames) and AAC is
 * packaged clear, with {@code cenc} and with {@code cbcs}, and FFmpeg's mov demuxer (which decrypts both schemes
 * given {@code -decryption_key}) must decode every encrypted track to exactly the clear track's frames. Without
 * the key, or with a wrong one, the frames must differ: the bytes really are encrypted.
 *
 * <p>FFmpeg reads the files from a pipe, fragment by fragment as a live player fetches parts. From a seekable file
 * FFmpeg 5 parses every {@code moof} at open and then takes each packet's encryption information from the
 * fragment parsed last ({@code frag_index.current} in its {@code cenc_filter}; later versions look the fragment up
 * from the packet), which gives our video samples the wrong subsample maps and fails on FFmpeg's own encrypted
 * fragmented output as well. Reading from a pipe it cannot seek to {@code saio} either and reads {@code senc};
 * {@link CmafFragmentWriterTest} checks {@code saio} instead.
 */
class SegmenterCencFfmpegTest {

    private static final String KEY = "3a2a1b68dd2bd9b2eeb25e84c4776668";
    private static final String WRONG_KEY = "3a2a1b68dd2bd9b2eeb25e84c4776669";
    private static final List<String> TRACKS = List.of("video", "audio");

    @TempDir
    static Path dir;
    static RecordingListener clear;
    static final Map<EncryptionScheme, RecordingListener> encrypted = new EnumMap<>(EncryptionScheme.class);

    @BeforeAll
    static void packageClearAndEncrypted() throws Exception {
        assumeTrue(RealMedia.available(), "ffmpeg and ffprobe are needed");
        FlvReader flv = RealMedia.makeFlv(dir);
        clear = RealMedia.segment(flv, null);
        for (EncryptionScheme scheme : EncryptionScheme.values()) {
            HexFormat hex = HexFormat.of();
            ContentKey key = new ContentKey(hex.parseHex("00112233445566778899aabbccddeeff"), hex.parseHex(KEY),
                    hex.parseHex("0f0e0d0c0b0a09080706050403020100"));
            encrypted.put(scheme, RealMedia.segment(flv, new StreamProtection(scheme, key,
                    List.of(DrmSystem.WIDEVINE, DrmSystem.PLAYREADY, DrmSystem.CLEARKEY), Map.of())));
        }
    }

    @ParameterizedTest
    @EnumSource(EncryptionScheme.class)
    void everyFrameDecryptsToTheClearFrameWithTheKeyOnly(EncryptionScheme scheme) throws Exception {
        for (String track : TRACKS) {
            List<String> expected = clearFrames(track);
            Path file = encryptedFile(scheme, track);
            assertTrue(expected.size() > 150, track + ": " + expected.size() + " frames");
            assertEquals(expected, frames(file, KEY), scheme + " " + track);
            assertNotEquals(expected, checksums(decode(file, null)), scheme + " " + track + " without the key");
            assertNotEquals(expected, checksums(decode(file, WRONG_KEY)), scheme + " " + track + " with a wrong key");
        }
    }

    @ParameterizedTest
    @EnumSource(EncryptionScheme.class)
    void ffprobeSeesTheCodecsBehindTheEncryption(EncryptionScheme scheme) throws Exception {
        Map<String, String> video = RealMedia.probe(
                RealMedia.write(dir.resolve(scheme + "-probe-video.mp4"), encrypted.get(scheme), "video"));
        assertEquals("h264", video.get("codec_name"));
        assertEquals("320", video.get("width"));
        assertEquals("aac", RealMedia.probe(
                RealMedia.write(dir.resolve(scheme + "-probe-audio.mp4"), encrypted.get(scheme), "audio"))
                .get("codec_name"));
        byte[] init = encrypted.get(scheme).starts.get(0).init();
        Boxes.find(init, "moov/trak/mdia/minf/stbl/stsd/encv/sinf/schi/tenc");
        assertEquals(Set.of("mvhd", "trak", "mvex", "pssh"), Set.copyOf(
                Boxes.children(init, Boxes.find(init, "moov").payloadOffset(), init.length).stream()
                        .map(Boxes.Box::type).toList()));
    }

    @Test
    void tracksSayTheyAreEncryptedAndCencIvsNeverRepeatAcrossParts() {
        assertTrue(clear.starts.stream().noneMatch(s -> s.track().encrypted()));
        for (RecordingListener l : encrypted.values()) {
            assertTrue(l.starts.stream().allMatch(s -> s.track().encrypted()));
        }
        for (String track : TRACKS) {
            List<Long> ivs = new ArrayList<>();
            for (CmafPart part : encrypted.get(EncryptionScheme.CENC).parts(track)) {
                ByteBuffer senc = Boxes.find(part.bytes(), "moof/traf/senc").payload();
                boolean subsamples = (senc.getInt() & 2) != 0;
                for (int n = senc.getInt(); n > 0; n--) {
                    ivs.add(senc.getLong());
                    if (subsamples) {
                        int entries = senc.getShort() & 0xffff;
                        senc.position(senc.position() + 6 * entries);
                    }
                }
                assertFalse(senc.hasRemaining());
            }
            assertEquals(clear.parts(track).stream().mapToInt(CmafPart::sampleCount).sum(), ivs.size());
            for (int i = 1; i < ivs.size(); i++) {
                assertEquals(ivs.get(i - 1) + 1, ivs.get(i), track + ": one IV after another, sample " + i);
            }
        }
    }

    /** A part in the middle, alone after the init segment, decrypts to the clear part's frames. */
    @ParameterizedTest
    @EnumSource(EncryptionScheme.class)
    void aMiddlePartDecryptsOnItsOwn(EncryptionScheme scheme) throws Exception {
        List<CmafPart> video = clear.parts("video");
        int secondSegment = 1;
        while (!video.get(secondSegment - 1).endsSegment()) {
            secondSegment++;
        }
        assertTrue(video.get(secondSegment).independent());
        for (String track : TRACKS) {
            int part = track.equals("video") ? secondSegment : secondSegment + 1;
            List<String> expected = frames(RealMedia.write(dir.resolve("clear-part.mp4"), clear, track, part),
                    null);
            Path file = RealMedia.write(dir.resolve(scheme + "-part.mp4"), encrypted.get(scheme), track, part);
            assertTrue(expected.size() >= 5, track + " part " + part + ": " + expected.size() + " frames");
            assertEquals(expected, frames(file, KEY), scheme + " " + track + " part " + part);
        }
    }

    private static List<String> clearFrames(String track) throws Exception {
        return frames(RealMedia.write(dir.resolve("clear-" + track + ".mp4"), clear, track), null);
    }

    private static Path encryptedFile(EncryptionScheme scheme, String track) throws Exception {
        return RealMedia.write(dir.resolve(scheme + "-" + track + ".mp4"), encrypted.get(scheme), track);
    }

    /** The frame checksums of a file, decoded without a single complaint. */
    private static List<String> frames(Path file, String key) throws Exception {
        RealMedia.Output out = decode(file, key);
        assertEquals(0, out.exitCode(), out.stderr());
        assertEquals("", out.stderr(), file.getFileName() + " decodes without a word");
        return checksums(out);
    }

    /** framemd5's lines without its comments: stream, dts, pts, duration, size and checksum of every frame. */
    private static List<String> checksums(RealMedia.Output out) {
        return out.stdout().lines().filter(l -> !l.startsWith("#")).toList();
    }

    private static RealMedia.Output decode(Path file, String key) throws Exception {
        List<String> command = new ArrayList<>(List.of(RealMedia.FFMPEG.toString(), "-v", "error"));
        if (key != null) {
            command.addAll(List.of("-decryption_key", key));
        }
        command.addAll(List.of("-i", "pipe:0", "-f", "framemd5", "-"));
        return RealMedia.exec(dir, file, command.toArray(String[]::new));
    }
}
