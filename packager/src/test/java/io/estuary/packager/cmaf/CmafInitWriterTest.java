package io.estuary.packager.cmaf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.codec.aac.AudioSpecificConfig;
import io.estuary.media.codec.h264.AvcDecoderConfigurationRecord;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.CodecConfig;
import io.estuary.media.frame.OpusConfig;
import io.estuary.media.frame.TrackInfo;
import io.estuary.packager.drm.DrmSystem;
import io.estuary.packager.drm.EncryptionScheme;
import io.estuary.packager.drm.PsshBoxes;
import io.estuary.packager.drm.StreamProtection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CmafInitWriterTest {

    /** SPS of a 320x240 High profile stream from x264, PPS likewise. */
    static final byte[] SPS = java.util.HexFormat.of().parseHex(
            "6764000dacd94141fb0110000030001000003003c0f1429996");
    static final byte[] PPS = java.util.HexFormat.of().parseHex("68ebe3cb22c0");

    static TrackInfo videoTrack() {
        byte[] avcC = AvcDecoderConfigurationRecord.build(List.of(SPS), List.of(PPS));
        return TrackInfo.video(1, AvcConfig.fromAvcC(avcC));
    }

    static TrackInfo audioTrack() {
        return TrackInfo.audio(2, AacConfig.fromAudioSpecificConfig(AudioSpecificConfig.aacLc(48000, 2)));
    }

    static TrackInfo opusTrack() {
        return TrackInfo.audio(2, OpusConfig.of(2, 312, 48_000));
    }

    @Test
    void everyCodecOfTheSealedFamilyHasASampleEntry() {
        Set<Class<?>> leaves = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(CodecConfig.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (c.isSealed()) {
                todo.addAll(Arrays.asList(c.getPermittedSubclasses()));
            } else {
                leaves.add(c);
            }
        }
        assertEquals(leaves, Set.copyOf(CmafInitWriter.SUPPORTED),
                "CmafInitWriter must write a sample entry for every codec configuration");
    }

    @Test
    void opusInitHasTheOpusEntryAndAnEditListSkippingThePreSkip() {
        byte[] init = CmafInitWriter.write(opusTrack());
        Boxes.Box trak = Boxes.find(init, "moov/trak");
        assertEquals(List.of("tkhd", "edts", "mdia"), Boxes.children(init, trak.payloadOffset(),
                trak.offset() + trak.size()).stream().map(Boxes.Box::type).toList(), "edts between tkhd and mdia");
        assertEquals("00000000" + "00000001" + "00000000" + "00000138" + "00010000",
                HexFormat.of().formatHex(payload(init, Boxes.find(init, "moov/trak/edts/elst"))),
                "one edit: the whole media from the pre-skip (312) on");
        assertEquals(48000, Boxes.find(init, "moov/trak/mdia/mdhd").payload().getInt(12), "timescale 48 kHz");
        assertEquals("soun", fourccAt(Boxes.find(init, "moov/trak/mdia/hdlr").payload(), 8));
        ByteBuffer opus = Boxes.find(init, STSD + "Opus").payload();
        assertEquals(2, opus.getShort(16)); // channelcount
        assertEquals(16, opus.getShort(18)); // samplesize
        assertEquals(48000L << 16, opus.getInt(24) & 0xffffffffL);
        assertEquals("00" + "02" + "0138" + "0000bb80" + "0000" + "00",
                HexFormat.of().formatHex(payload(init, Boxes.find(init, STSD + "Opus/dOps"))));
        Boxes.Box stbl = Boxes.find(init, "moov/trak/mdia/minf/stbl");
        assertEquals(List.of("stsd", "stts", "stsc", "stsz", "stco", "sgpd", "sbgp"), Boxes.children(init,
                stbl.payloadOffset(), stbl.offset() + stbl.size()).stream().map(Boxes.Box::type).toList());
        assertEquals("01000000" + "726f6c6c" + "00000002" + "00000001" + "fffc",
                HexFormat.of().formatHex(payload(init, Boxes.find(init, "moov/trak/mdia/minf/stbl/sgpd"))),
                "roll distance -4: 80 ms of 20 ms packets");
                assertArrayEquals(init, CmafInitWriter.write(opusTrack()), "same track, same bytes");
    }

    @Test
    void aacAndVideoHaveNoEditList() {
        for (TrackInfo t : List.of(videoTrack(), audioTrack())) {
            byte[] init = CmafInitWriter.write(t);
            Boxes.Box trak = Boxes.find(init, "moov/trak");
            assertEquals(List.of("tkhd", "mdia"), Boxes.children(init, trak.payloadOffset(),
                    trak.offset() + trak.size()).stream().map(Boxes.Box::type).toList());
        }
    }

    @Test
    void encryptedOpusIsAnEncaEntryWithDopsAndOriginalFormatOpus() {
        StreamProtection p = CmafFragmentWriterTest.protection(EncryptionScheme.CENC);
        byte[] init = CmafInitWriter.write(opusTrack(), p);
        ByteBuffer enca = Boxes.find(init, STSD + "enca").payload();
        assertEquals(2, enca.getShort(16));
        Boxes.find(init, STSD + "enca/dOps");
        assertEquals("Opus", fourcc(Boxes.find(init, STSD + "enca/sinf/frma").payload()));
        assertEquals("cenc", fourccAt(Boxes.find(init, STSD + "enca/sinf/schm").payload(), 4));
        Boxes.find(init, STSD + "enca/sinf/schi/tenc");
    }

    @Test
    void videoInitHasCmafBrandsAndTheExpectedTree() {
        TrackInfo track = videoTrack();
        byte[] init = CmafInitWriter.write(track);

        List<String> top = Boxes.top(init).stream().map(Boxes.Box::type).toList();
        assertEquals(List.of("ftyp", "moov"), top);
        ByteBuffer ftyp = Boxes.find(init, "ftyp").payload();
        assertEquals("iso6", fourcc(ftyp));
        assertEquals(0, ftyp.getInt());
        List<String> brands = new java.util.ArrayList<>();
        while (ftyp.hasRemaining()) {
            brands.add(fourcc(ftyp));
        }
        assertEquals(List.of("iso6", "cmfc", "mp41", "dash"), brands);

        ByteBuffer tkhd = Boxes.find(init, "moov/trak/tkhd").payload();
        assertEquals(0x00000003, tkhd.getInt()); // version 0, enabled | in movie
        assertEquals(1, tkhd.getInt(12)); // track_ID
        assertEquals(0, tkhd.getShort(36)); // volume 0 for video
        assertEquals(320 << 16, tkhd.getInt(76));
        assertEquals(240 << 16, tkhd.getInt(80));

        ByteBuffer mdhd = Boxes.find(init, "moov/trak/mdia/mdhd").payload();
        assertEquals(90000, mdhd.getInt(12));
        assertEquals(0x55c4, mdhd.getShort(20) & 0xffff);
        assertEquals("vide", fourccAt(Boxes.find(init, "moov/trak/mdia/hdlr").payload(), 8));
        Boxes.find(init, "moov/trak/mdia/minf/vmhd");
        Boxes.find(init, "moov/trak/mdia/minf/dinf/dref/url ");
        for (String table : List.of("stts", "stsc", "stsz", "stco")) {
            Boxes.find(init, "moov/trak/mdia/minf/stbl/" + table);
        }
        ByteBuffer avc1 = Boxes.find(init, "moov/trak/mdia/minf/stbl/stsd/avc1").payload();
        assertEquals(1, avc1.getShort(6)); // data_reference_index
        assertEquals(320, avc1.getShort(24));
        assertEquals(240, avc1.getShort(26));
        Boxes.Box avcC = Boxes.find(init, "moov/trak/mdia/minf/stbl/stsd/avc1/avcC");
        byte[] record = Arrays.copyOfRange(init, avcC.payloadOffset(), avcC.offset() + avcC.size());
        assertArrayEquals(((AvcConfig) track.config()).avcC(), record);

        ByteBuffer trex = Boxes.find(init, "moov/mvex/trex").payload();
        assertEquals(1, trex.getInt(4)); // track_ID
        assertEquals(1, trex.getInt(8)); // default_sample_description_index
    }

    @Test
    void audioInitCarriesTheAudioSpecificConfig() {
        byte[] init = CmafInitWriter.write(audioTrack());
        ByteBuffer tkhd = Boxes.find(init, "moov/trak/tkhd").payload();
        assertEquals(0x0100, tkhd.getShort(36)); // full volume
        assertEquals(0, tkhd.getInt(76)); // no width
        assertEquals(48000, Boxes.find(init, "moov/trak/mdia/mdhd").payload().getInt(12));
        assertEquals("soun", fourccAt(Boxes.find(init, "moov/trak/mdia/hdlr").payload(), 8));
        Boxes.find(init, "moov/trak/mdia/minf/smhd");
        ByteBuffer mp4a = Boxes.find(init, "moov/trak/mdia/minf/stbl/stsd/mp4a").payload();
        assertEquals(2, mp4a.getShort(16)); // channelcount
        assertEquals(16, mp4a.getShort(18)); // samplesize
        assertEquals(48000L << 16, mp4a.getInt(24) & 0xffffffffL);
        Boxes.Box esds = Boxes.find(init, "moov/trak/mdia/minf/stbl/stsd/mp4a/esds");
        byte[] tail = Arrays.copyOfRange(init, esds.offset() + esds.size() - 5, esds.offset() + esds.size());
        assertArrayEquals(new byte[] {0x11, (byte) 0x90, 0x06, 0x01, 0x02}, tail);
    }

    @Test
    void sameTrackGivesSameBytes() {
        assertArrayEquals(CmafInitWriter.write(videoTrack()), CmafInitWriter.write(videoTrack()));
    }

    @Test
    void withoutProtectionTheHeaderIsTheClearOne() {
        assertArrayEquals(CmafInitWriter.write(videoTrack()), CmafInitWriter.write(videoTrack(), null));
        assertArrayEquals(CmafInitWriter.write(audioTrack()), CmafInitWriter.write(audioTrack(), null));
    }

    @Test
    void cencVideoHeaderHasEncvWithSinfAndOnePsshPerSystemAtTheEndOfMoov() {
        StreamProtection p = new StreamProtection(EncryptionScheme.CENC,
                CmafFragmentWriterTest.protection(EncryptionScheme.CENC).key(),
                List.of(DrmSystem.PLAYREADY, DrmSystem.WIDEVINE, DrmSystem.CLEARKEY), Map.of());
        byte[] init = CmafInitWriter.write(videoTrack(), p);
        String entry = "moov/trak/mdia/minf/stbl/stsd/encv";
        assertEquals(320, Boxes.find(init, entry).payload().getShort(24));
        Boxes.find(init, entry + "/avcC");
        assertEquals("avc1", fourcc(Boxes.find(init, entry + "/sinf/frma").payload()));
        ByteBuffer schm = Boxes.find(init, entry + "/sinf/schm").payload();
        assertEquals("cenc", fourccAt(schm, 4));
        assertEquals(0x00010000, schm.getInt(8));
        byte[] tenc = payload(init, Boxes.find(init, entry + "/sinf/schi/tenc"));
        assertEquals("00000000" + "0000" + "01" + "08" + "00112233445566778899aabbccddeeff",
                HexFormat.of().formatHex(tenc));

        Boxes.Box moov = Boxes.find(init, "moov");
        List<Boxes.Box> children = Boxes.children(init, moov.payloadOffset(), moov.offset() + moov.size());
        assertEquals(List.of("mvhd", "trak", "mvex", "pssh", "pssh", "pssh"),
                children.stream().map(Boxes.Box::type).toList());
        List<DrmSystem> order = List.of(DrmSystem.PLAYREADY, DrmSystem.WIDEVINE, DrmSystem.CLEARKEY);
        for (int i = 0; i < 3; i++) {
            Boxes.Box pssh = children.get(3 + i);
            assertArrayEquals(PsshBoxes.box(order.get(i), p),
                    Arrays.copyOfRange(init, pssh.offset(), pssh.offset() + pssh.size()));
        }
    }

    @Test
    void cbcsHeadersCarryThePatternAndTheConstantIv() {
        StreamProtection p = CmafFragmentWriterTest.protection(EncryptionScheme.CBCS);
        byte[] video = CmafInitWriter.write(videoTrack(), p);
        byte[] audio = CmafInitWriter.write(audioTrack(), p);
        String iv = "10" + "0f0e0d0c0b0a09080706050403020100";
        assertEquals("01000000" + "00" + "19" + "01" + "00" + "00112233445566778899aabbccddeeff" + iv,
                HexFormat.of().formatHex(payload(video, Boxes.find(video, STSD + "encv/sinf/schi/tenc"))),
                "video: 1:9 pattern");
        assertEquals("01000000" + "00" + "00" + "01" + "00" + "00112233445566778899aabbccddeeff" + iv,
                HexFormat.of().formatHex(payload(audio, Boxes.find(audio, STSD + "enca/sinf/schi/tenc"))),
                "audio: whole-block full-sample, no pattern");
        assertEquals("mp4a", fourcc(Boxes.find(audio, STSD + "enca/sinf/frma").payload()));
        assertEquals("cbcs", fourccAt(Boxes.find(audio, STSD + "enca/sinf/schm").payload(), 4));
        Boxes.find(audio, STSD + "enca/esds");
    }

    @Test
    void fairPlayAloneWritesNoPssh() {
        StreamProtection p = new StreamProtection(EncryptionScheme.CBCS,
                CmafFragmentWriterTest.protection(EncryptionScheme.CBCS).key(), List.of(DrmSystem.FAIRPLAY), Map.of());
        byte[] init = CmafInitWriter.write(videoTrack(), p);
        Boxes.Box moov = Boxes.find(init, "moov");
        assertEquals(List.of("mvhd", "trak", "mvex"), Boxes.children(init, moov.payloadOffset(),
                moov.offset() + moov.size()).stream().map(Boxes.Box::type).toList());
    }

    private static final String STSD = "moov/trak/mdia/minf/stbl/stsd/";

    /** A box's bytes after its size and type. */
    private static byte[] payload(byte[] file, Boxes.Box box) {
        return Arrays.copyOfRange(file, box.payloadOffset(), box.offset() + box.size());
    }

    private static String fourcc(ByteBuffer b) {
        byte[] f = new byte[4];
        b.get(f);
        return new String(f, StandardCharsets.US_ASCII);
    }

    private static String fourccAt(ByteBuffer b, int at) {
        b.position(at);
        return fourcc(b);
    }
}
