package io.estuary.media.codec.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NalUnitsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void unescapingDropsOnlyTheThreeAfterTwoZeros() {
        byte[] nal = HEX.parseHex("4100000301000003000003030003");
        // The 03 after an emulation prevention byte and the last one follow no two zeros: they stay.
        assertEquals("4100000100000000030003", HEX.formatHex(NalUnits.unescapeRbsp(nal, 0, nal.length)));
        // A 00 00 03 split by the range is not an emulation prevention: the range is a NAL unit of its own.
        assertArrayEquals(HEX.parseHex("0301"), NalUnits.unescapeRbsp(nal, 3, 2));
    }

    @Test
    void escapedLengthMapsRbspBytesBackToStoredBytes() {
        byte[] nal = HEX.parseHex("4100000301000003000003030003");
        // RBSP 41 00 00 | 01 00 00 | 00 00 | 03 00 03, stored with a 03 after each pair of zeros
        int[] expected = {0, 1, 2, 3, 5, 6, 7, 9, 10, 12, 13, 14};
        for (int rbspBytes = 0; rbspBytes < expected.length; rbspBytes++) {
            assertEquals(expected[rbspBytes], NalUnits.escapedLength(nal, 0, nal.length, rbspBytes), "" + rbspBytes);
        }
        assertEquals(-1, NalUnits.escapedLength(nal, 0, nal.length, 12));
        assertEquals(-1, NalUnits.escapedLength(nal, 0, 4, 4)); // 41 00 00 03: three RBSP bytes
        byte[] inSample = HEX.parseHex("ffff" + "4100000301");
        assertEquals(5, NalUnits.escapedLength(inSample, 2, 5, 4));
    }
}
