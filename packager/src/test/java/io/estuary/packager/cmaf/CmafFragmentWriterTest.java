package io.estuary.packager.cmaf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.estuary.packager.drm.ContentKey;
import io.estuary.packager.drm.EncryptionScheme;
import io.estuary.packager.drm.SampleEncryptor;
import io.estuary.packager.drm.StreamProtection;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CmafFragmentWriterTest {

    @Test
    void chunkIsMoofThenMdatWithDataOffsetPointingAtTheFirstSample() {
        byte[] chunk = CmafFragmentWriter.write(7, 90_000L, List.of(
                new CmafSample(new byte[] {1, 2, 3}, 3000, 3000, true),
                new CmafSample(new byte[] {4, 5}, 3000, -3000, false)));
        String expected = String.join("",
                "00000078", "6d6f6f66", // moof: 8 + mfhd 16 + traf 96 = 120 bytes
                "00000010", "6d666864", "00000000", "00000007", // mfhd, sequence_number 7
                "00000060", "74726166", // traf: 8 + tfhd 16 + tfdt 20 + trun 52 = 96 bytes
                "00000010", "74666864", "00020000", "00000001", // tfhd, default-base-is-moof, track 1
                "00000014", "74666474", "01000000", "0000000000015f90", // tfdt v1, 90000
                "00000034", "7472756e", "01000f01", "00000002", // trun v1, all fields, 2 samples
                "00000080", // data_offset: moof 120 + mdat header 8 = 128
                "00000bb8", "00000003", "02000000", "00000bb8", // 3000, 3 bytes, sync, cto 3000
                "00000bb8", "00000002", "01010000", "fffff448", // 3000, 2 bytes, non-sync, cto -3000
                "0000000d", "6d646174", "0102030405"); // mdat: the samples back to back
        assertEquals(expected, HexFormat.of().formatHex(chunk));
    }

    @Test
    void encryptedChunkPointsSaioAtTheFirstSencEntryAndTrunAtTheFirstSample() {
        List<CmafSample> samples = List.of(new CmafSample(video(40), 3000, 0, true),
                new CmafSample(video(300), 3000, 0, false));
        byte[] chunk = CmafFragmentWriter.write(3, 0, samples,
                SampleEncryptor.forTrack(protection(EncryptionScheme.CENC), CmafInitWriterTest.videoTrack().config()));
        List<String> traf = Boxes.children(chunk, Boxes.find(chunk, "moof/traf").payloadOffset(),
                Boxes.find(chunk, "moof/traf").offset() + Boxes.find(chunk, "moof/traf").size()).stream()
                .map(Boxes.Box::type).toList();
        assertEquals(List.of("tfhd", "tfdt", "trun", "saiz", "saio", "senc"), traf);

        ByteBuffer saiz = Boxes.find(chunk, "moof/traf/saiz").payload();
        assertEquals(0, saiz.getInt()); // version 0, flags 0
        assertEquals(8 + 2 + 6, saiz.get()); // default_sample_info_size: IV, subsample count, one subsample
        assertEquals(2, saiz.getInt()); // sample_count
        assertFalse(saiz.hasRemaining(), "the same size for both: no table");

        Boxes.Box senc = Boxes.find(chunk, "moof/traf/senc");
        assertEquals(2, senc.payload().getInt(0) & 0xffffff, "flags: subsamples");
        int saioOffset = Boxes.find(chunk, "moof/traf/saio").payload().getInt(8);
        assertEquals(senc.payloadOffset() + 8, saioOffset, "past senc's version, flags and sample_count");
        byte[] firstEntry = Arrays.copyOfRange(chunk, saioOffset, saioOffset + 16);
        // one subsample: length, NAL header and the 7 bytes past whole blocks clear, 32 bytes protected
        assertEquals("0001" + "000c" + "00000020", HexFormat.of().formatHex(firstEntry, 8, 16));

        Boxes.Box mdat = Boxes.find(chunk, "mdat");
        assertEquals(mdat.payloadOffset(), Boxes.find(chunk, "moof/traf/trun").payload().getInt(8));
        assertEquals(40 + 4 + 300 + 4, mdat.size() - 8);
        assertArrayEquals(Arrays.copyOf(samples.get(0).data(), 12),
                Arrays.copyOfRange(chunk, mdat.payloadOffset(), mdat.payloadOffset() + 12), "clear bytes stay");
        assertFalse(Arrays.equals(samples.get(1).data(), Arrays.copyOfRange(chunk, mdat.payloadOffset() + 44,
                mdat.offset() + mdat.size())), "the slice is encrypted");
    }

    @Test
    void cbcsAudioChunkHasOnlyAnSencWithItsSampleCount() {
        List<CmafSample> samples = List.of(new CmafSample(new byte[100], 1024, 0, true),
                new CmafSample(new byte[90], 1024, 0, true));
        byte[] chunk = CmafFragmentWriter.write(1, 0, samples,
                SampleEncryptor.forTrack(protection(EncryptionScheme.CBCS), CmafInitWriterTest.audioTrack().config()));
        Boxes.Box traf = Boxes.find(chunk, "moof/traf");
        assertEquals(List.of("tfhd", "tfdt", "trun", "senc"), Boxes.children(chunk, traf.payloadOffset(),
                traf.offset() + traf.size()).stream().map(Boxes.Box::type).toList());
        Boxes.Box senc = Boxes.find(chunk, "moof/traf/senc");
        assertEquals(16, senc.size(), "version, flags and sample_count, no entries");
        assertEquals("00000000" + "00000002", HexFormat.of().formatHex(chunk, senc.payloadOffset(),
                senc.payloadOffset() + 8));
    }

    @Test
    void emptyChunkIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CmafFragmentWriter.write(1, 0, List.of()));
    }

    @Test
    void sampleDurationMustFit32Bits() {
        assertThrows(IllegalArgumentException.class, () -> new CmafSample(new byte[1], 1L << 32, 0, true));
    }

    static StreamProtection protection(EncryptionScheme scheme) {
        HexFormat hex = HexFormat.of();
        return new StreamProtection(scheme, new ContentKey(hex.parseHex("00112233445566778899aabbccddeeff"),
                hex.parseHex("3a2a1b68dd2bd9b2eeb25e84c4776668"), hex.parseHex("0f0e0d0c0b0a09080706050403020100")),
                List.of(io.estuary.packager.drm.DrmSystem.CLEARKEY), Map.of());
    }

    /** One IDR slice NAL unit of {@code length} bytes after a 4-byte length field. */
    private static byte[] video(int length) {
        byte[] s = new byte[4 + length];
        ByteBuffer.wrap(s).putInt(length).put((byte) 0x65);
        for (int i = 5; i < s.length; i++) {
            s[i] = (byte) i;
        }
        return s;
    }
}
