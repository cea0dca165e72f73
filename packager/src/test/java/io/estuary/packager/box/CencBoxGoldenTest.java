package io.estuary.packager.box;

import static io.estuary.packager.box.BoxGoldenTest.assertBytes;
import static io.estuary.packager.box.BoxGoldenTest.hex;
import static io.estuary.packager.box.BoxGoldenTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact vectors for the Common Encryption boxes, written out field by field from ISO/IEC 23001-7 (tenc 8.2,
 * senc 7.2, pssh 8.1), ISO/IEC 14496-12 (frma, schm, saiz, saio) and the W3C "Common SystemID and PSSH Box
 * Format" example.
 */
class CencBoxGoldenTest {

    private static final byte[] KID = hex("00112233445566778899aabbccddeeff");
    private static final byte[] IV = hex("0f0e0d0c0b0a09080706050403020100");

    @Test
    void frma() {
        assertBytes(hex(
                "0000000c", "66726d61", // size 12, 'frma'
                "61766331"), // data_format 'avc1'
                write(w -> FrmaBox.write(w, "avc1")));
    }

    @Test
    void schmForCbcs() {
        assertBytes(hex(
                "00000014", "7363686d", // size 20, 'schm'
                "00 000000", // version 0, flags 0: no scheme_uri
                "63626373", // scheme_type 'cbcs'
                "00010000"), // scheme_version 1.0
                write(w -> SchmBox.write(w, "cbcs", SchmBox.CENC_SCHEME_VERSION)));
    }

    @Test
    void tencVersion0ForCenc() {
        assertBytes(hex(
                "00000020", "74656e63", // size 32, 'tenc'
                "00 000000", // version 0, flags 0
                "00", "00", // reserved, reserved
                "01", // default_isProtected
                "08", // default_Per_Sample_IV_Size
                "00112233445566778899aabbccddeeff"), // default_KID
                write(w -> TencBox.write(w, new TencBox.Defaults(0, 0, 0, 8, KID, null))));
    }

    @Test
    void tencVersion1ForCbcsVideoCarriesPatternAndConstantIv() {
        assertBytes(hex(
                "00000031", "74656e63", // size 49, 'tenc'
                "01 000000", // version 1, flags 0
                "00", // reserved
                "19", // default_crypt_byte_block 1, default_skip_byte_block 9
                "01", // default_isProtected
                "00", // default_Per_Sample_IV_Size 0: constant IV
                "00112233445566778899aabbccddeeff", // default_KID
                "10", // default_constant_IV_size 16
                "0f0e0d0c0b0a09080706050403020100"), // default_constant_IV
                write(w -> TencBox.write(w, new TencBox.Defaults(1, 1, 9, 0, KID, IV))));
    }

    @Test
    void tencRefusesInconsistentFields() {
        assertThrows(IllegalArgumentException.class, () -> new TencBox.Defaults(0, 1, 9, 0, KID, IV));
        assertThrows(IllegalArgumentException.class, () -> new TencBox.Defaults(1, 1, 9, 8, KID, IV));
        assertThrows(IllegalArgumentException.class, () -> new TencBox.Defaults(0, 0, 0, 0, KID, null));
        assertThrows(IllegalArgumentException.class, () -> new TencBox.Defaults(0, 0, 0, 8, new byte[8], null));
    }

    @Test
    void sencWithIvsOnly() {
        byte[][] entries = {hex("0000000000000001"), hex("0000000000000002")};
        BoxWriter w = new BoxWriter(1);
        int first = SencBox.write(w, List.of(entries), false);
        assertBytes(hex(
                "00000020", "73656e63", // size 32, 'senc'
                "00 000000", // version 0, flags 0: no subsamples
                "00000002", // sample_count
                "0000000000000001", // sample 1: IV
                "0000000000000002"), // sample 2: IV
                w.toByteArray());
        assertEquals(16, first);
    }

    @Test
    void sencWithSubsamples() {
        byte[] entry = hex("0000000000000007", "0002", "001d 00000060", "000e 00000000");
        assertBytes(hex(
                "00000026", "73656e63", // size 38, 'senc'
                "00 000002", // version 0, flags: UseSubSampleEncryption
                "00000001", // sample_count
                "0000000000000007", // IV
                "0002", // subsample_count
                "001d", "00000060", // 29 clear, 96 protected
                "000e", "00000000"), // 14 clear, none protected
                write(w -> SencBox.write(w, List.of(entry), true)));
    }

    @Test
    void saizWithOneSizeForAll() {
        assertBytes(hex(
                "00000011", "7361697a", // size 17, 'saiz'
                "00 000000", // version 0, flags 0: no aux_info_type
                "08", // default_sample_info_size
                "00000003"), // sample_count
                write(w -> SaizBox.write(w, new int[] {8, 8, 8})));
    }

    @Test
    void saizWithSizePerSample() {
        assertBytes(hex(
                "00000013", "7361697a", // size 19, 'saiz'
                "00 000000",
                "00", // default_sample_info_size 0: a table follows
                "00000002", // sample_count
                "10", "16"), // 16 and 22 bytes
                write(w -> SaizBox.write(w, new int[] {16, 22})));
        assertThrows(IllegalArgumentException.class, () -> write(w -> SaizBox.write(w, new int[] {256})));
    }

    @Test
    void saioWithPatchedOffset() {
        BoxWriter w = new BoxWriter(1);
        int at = SaioBox.write(w);
        w.patchU32(at, 0x9c);
        assertBytes(hex(
                "00000014", "7361696f", // size 20, 'saio'
                "00 000000", // version 0: 32-bit offsets; flags 0
                "00000001", // entry_count
                "0000009c"), // offset
                w.toByteArray());
        assertEquals(16, at);
    }

    /** The example of the W3C "Common SystemID and PSSH Box Format", two key IDs, byte for byte. */
    @Test
    void commonPsshOfTheW3cExample() {
        byte[] kid1 = hex("0123456789ABCDEF0123456789ABCDEF");
        byte[] kid2 = hex("ABCDEF0123456789ABCDEF0123456789");
        assertBytes(hex(
                "00000044 70737368", // size 68, 'pssh'
                "01000000", // version 1, flags 0
                "1077EFEC C0B24D02 ACE33C1E 52E2FB4B", // SystemID: W3C common
                "00000002", // KID_count
                "01234567 89ABCDEF 01234567 89ABCDEF", // first KID
                "ABCDEF01 23456789 ABCDEF01 23456789", // second KID
                "00000000"), // DataSize 0
                write(w -> PsshBox.write(w, UUID.fromString("1077efec-c0b2-4d02-ace3-3c1e52e2fb4b"),
                        List.of(kid1, kid2), new byte[0])));
    }

    @Test
    void psshVersion0HasNoKeyIdList() {
        assertBytes(hex(
                "00000023 70737368", // size 35, 'pssh'
                "00000000", // version 0, flags 0
                "edef8ba9 79d64ace a3c827dc d51d21ed", // SystemID: Widevine
                "00000003", // DataSize
                "0a0b0c"), // Data
                write(w -> PsshBox.write(w, UUID.fromString("edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"), List.of(),
                        hex("0a0b0c"))));
    }

    @Test
    void encvIsAvc1RenamedWithSinfAfterAvcC() {
        TencBox.Defaults tenc = new TencBox.Defaults(0, 0, 0, 8, KID, null);
        byte[] sinf = write(w -> SinfBox.write(w, "avc1", "cenc", tenc));
        assertBytes(hex(
                "00000050 73696e66", // size 80, 'sinf'
                "0000000c 66726d61 61766331", // frma 'avc1'
                "00000014 7363686d 00000000 63656e63 00010000", // schm 'cenc' 1.0
                "00000028 73636869", // schi, size 40
                "00000020 74656e63 00000000 00 00 01 08 00112233445566778899aabbccddeeff"), // tenc v0
                sinf);
        byte[] avcC = hex("01640016ffe1");
        assertRenamedWithSinf(write(w -> Avc1Box.write(w, 320, 240, avcC)), "encv", sinf,
                write(w -> EncvBox.write(w, 320, 240, avcC, "cenc", tenc)));
    }

    @Test
    void encaIsMp4aRenamedWithSinfAfterEsds() {
        TencBox.Defaults tenc = new TencBox.Defaults(1, 0, 0, 0, KID, IV);
        byte[] asc = hex("1190");
        assertRenamedWithSinf(write(w -> Mp4aBox.write(w, 2, 48000, asc)), "enca",
                write(w -> SinfBox.write(w, "mp4a", "cbcs", tenc)),
                write(w -> EncaBox.write(w, 2, 48000, asc, "cbcs", tenc)));
    }

    /** The protected entry is the clear one under another fourcc, its size grown by the sinf appended to it. */
    private static void assertRenamedWithSinf(byte[] clear, String fourcc, byte[] sinf, byte[] entry) {
        assertEquals(clear.length + sinf.length, entry.length);
        assertBytes(hex(String.format("%08x", entry.length)), Arrays.copyOf(entry, 4));
        assertEquals(fourcc, new String(entry, 4, 4, StandardCharsets.US_ASCII));
        assertBytes(Arrays.copyOfRange(clear, 8, clear.length), Arrays.copyOfRange(entry, 8, clear.length));
        assertBytes(sinf, Arrays.copyOfRange(entry, clear.length, entry.length));
    }
}
