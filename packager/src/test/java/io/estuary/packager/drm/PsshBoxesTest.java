package io.estuary.packager.drm;

import static io.estuary.packager.drm.CencTestData.CONSTANT_IV;
import static io.estuary.packager.drm.CencTestData.protection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pssh box of each DRM system and the PlayReady Object, against their published byte layouts. */
class PsshBoxesTest {

    private static final HexFormat HEX = HexFormat.of();

    /**
     * The key ID of Microsoft's PlayReady test content: its MPDs give {@code cenc:default_KID}
     * 6f651ae1-dbe4-4434-bcb4-690d1564c41c and its PlayReady headers {@code <KID>4Rplb+TbNES8tGkNFWTEHA==</KID>}.
     */
    private static final ContentKey PLAYREADY_TEST_KEY = new ContentKey(
            HEX.parseHex("6f651ae1dbe44434bcb4690d1564c41c"), HEX.parseHex("00112233445566778899aabbccddeeff"),
            CONSTANT_IV);

    @Test
    void widevineCencIsTheWellKnownForm() {
        // WidevinePsshData: 0x12 (field 2, bytes) 0x10 (16) key ID; 0x48 (field 9, varint) 'cenc' = 0x63656e63
        // as a varint: e3 dc 95 9b 06 (the "SOPclZsG" every Widevine cenc pssh from Shaka Packager ends with)
        assertEquals(String.join("",
                "00000038", "70737368", "00000000", // size 56, 'pssh', version 0, flags 0
                "edef8ba979d64acea3c827dcd51d21ed", // Widevine
                "00000018", // DataSize 24
                "1210", "00112233445566778899aabbccddeeff", "48e3dc959b06"),
                HEX.formatHex(PsshBoxes.box(DrmSystem.WIDEVINE, protection(EncryptionScheme.CENC))));
        assertEquals("SOPclZsG", Base64.getEncoder().encodeToString(HEX.parseHex("48e3dc959b06")));
    }

    @Test
    void widevineCbcsNamesItsScheme() {
        assertEquals("1210" + "00112233445566778899aabbccddeeff" + "48f3c6899b06", // 'cbcs' = 0x63626373
                HEX.formatHex(WidevinePsshData.of(List.of(CencTestData.KID), EncryptionScheme.CBCS)));
    }

    @Test
    void clearKeyUsesTheCommonSystemWithTheKeyId() {
        assertEquals(String.join("",
                "00000034", "70737368", "01000000", // size 52, 'pssh', version 1
                "1077efecc0b24d02ace33c1e52e2fb4b", // W3C common system ID
                "00000001", "00112233445566778899aabbccddeeff", // one KID
                "00000000"), // no data
                HEX.formatHex(PsshBoxes.box(DrmSystem.CLEARKEY, protection(EncryptionScheme.CENC))));
    }

    @Test
    void playReadyKidIsTheGuidInLittleEndianOrder() {
        String xml = PlayReadyHeader.header(PLAYREADY_TEST_KEY, EncryptionScheme.CENC, null);
        assertTrue(xml.contains("<KID>4Rplb+TbNES8tGkNFWTEHA==</KID>"), xml);
        String bigEndian = Base64.getEncoder().encodeToString(PLAYREADY_TEST_KEY.kid());
        assertFalse(xml.contains(bigEndian), "the default_KID bytes as they are would be wrong");
    }

    @Test
    void playReadyCencHeaderIsVersion4WithChecksum() {
        // checksum: openssl enc -aes-128-ecb -nopad -K 00112233445566778899aabbccddeeff of the GUID-ordered KID
        // e11a656fe4db3444bcb4690d1564c41c, first 8 bytes, base64
        assertEquals("<WRMHEADER xmlns=\"http://schemas.microsoft.com/DRM/2007/03/PlayReadyHeader\" "
                + "version=\"4.0.0.0\"><DATA><PROTECTINFO><KEYLEN>16</KEYLEN><ALGID>AESCTR</ALGID></PROTECTINFO>"
                + "<KID>4Rplb+TbNES8tGkNFWTEHA==</KID><CHECKSUM>5g5P0VIdJRs=</CHECKSUM>"
                + "<LA_URL>https://pr.example/rightsmanager.asmx?a=1&amp;b=2</LA_URL></DATA></WRMHEADER>",
                PlayReadyHeader.header(PLAYREADY_TEST_KEY, EncryptionScheme.CENC,
                        "https://pr.example/rightsmanager.asmx?a=1&b=2"));
    }

    @Test
    void playReadyCbcsHeaderIsVersion43WithAescbc() {
        assertEquals("<WRMHEADER xmlns=\"http://schemas.microsoft.com/DRM/2007/03/PlayReadyHeader\" "
                + "version=\"4.3.0.0\"><DATA><PROTECTINFO><KIDS>"
                + "<KID ALGID=\"AESCBC\" VALUE=\"4Rplb+TbNES8tGkNFWTEHA==\"></KID></KIDS></PROTECTINFO>"
                + "</DATA></WRMHEADER>", PlayReadyHeader.header(PLAYREADY_TEST_KEY, EncryptionScheme.CBCS, null));
    }

    @Test
    void playReadyObjectLayout() {
        String xml = PlayReadyHeader.header(PLAYREADY_TEST_KEY, EncryptionScheme.CBCS, null);
        byte[] pro = PlayReadyHeader.object(PLAYREADY_TEST_KEY, EncryptionScheme.CBCS, null);
        ByteBuffer b = ByteBuffer.wrap(pro).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(pro.length, b.getInt(), "Length: the whole object, little-endian");
        assertEquals(1, b.getShort(), "one record");
        assertEquals(1, b.getShort(), "record type 1: PlayReady Header");
        assertEquals(2 * xml.length(), b.getShort() & 0xffff, "record length in bytes");
        assertEquals(xml, new String(pro, 10, pro.length - 10, StandardCharsets.UTF_16LE));
        assertEquals("3c005700", HEX.formatHex(pro, 10, 14), "'<W' in UTF-16LE");
    }

    @Test
    void playReadyPsshCarriesTheObject() {
        StreamProtection p = new StreamProtection(EncryptionScheme.CENC, PLAYREADY_TEST_KEY,
                List.of(DrmSystem.PLAYREADY), Map.of(DrmSystem.PLAYREADY, "https://pr.example/"));
        byte[] box = PsshBoxes.box(DrmSystem.PLAYREADY, p);
        byte[] pro = PlayReadyHeader.object(p);
        assertEquals("00000000" + "9a04f07998404286ab92e65be0885f95", HEX.formatHex(box, 8, 28));
        assertEquals(pro.length, ByteBuffer.wrap(box, 28, 4).getInt());
        assertEquals(HEX.formatHex(pro), HEX.formatHex(Arrays.copyOfRange(box, 32, box.length)));
        assertEquals(PlayReadyHeader.header(PLAYREADY_TEST_KEY, EncryptionScheme.CENC, "https://pr.example/"),
                new String(pro, 10, pro.length - 10, StandardCharsets.UTF_16LE));
    }

    @Test
    void oneBoxPerSignalledSystemInOrderAndNoneForFairPlay() {
        StreamProtection p = protection(EncryptionScheme.CBCS, DrmSystem.FAIRPLAY, DrmSystem.PLAYREADY,
                DrmSystem.CLEARKEY, DrmSystem.WIDEVINE);
        Map<DrmSystem, byte[]> boxes = PsshBoxes.of(p);
        assertEquals(List.of(DrmSystem.PLAYREADY, DrmSystem.CLEARKEY, DrmSystem.WIDEVINE),
                List.copyOf(boxes.keySet()));
        for (Map.Entry<DrmSystem, byte[]> e : boxes.entrySet()) {
            assertEquals(HEX.formatHex(PsshBoxes.box(e.getKey(), p)), HEX.formatHex(e.getValue()));
        }
        assertThrows(IllegalArgumentException.class, () -> PsshBoxes.box(DrmSystem.FAIRPLAY, p));
    }
}
