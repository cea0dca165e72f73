package io.estuary.packager.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
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
    void emptyChunkIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CmafFragmentWriter.write(1, 0, List.of()));
    }

    @Test
    void sampleDurationMustFit32Bits() {
        assertThrows(IllegalArgumentException.class, () -> new CmafSample(new byte[1], 1L << 32, 0, true));
    }
}
