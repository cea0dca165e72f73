package io.estuary.packager.drm;

import static io.estuary.packager.drm.CencTestData.AAC;
import static io.estuary.packager.drm.CencTestData.AVC;
import static io.estuary.packager.drm.CencTestData.CONSTANT_IV;
import static io.estuary.packager.drm.CencTestData.KEY;
import static io.estuary.packager.drm.CencTestData.protection;
import static io.estuary.packager.drm.CencTestData.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests: samples encrypted by {@link SampleEncryptor}, their protected bytes recomputed by openssl
 * (as a process) and by a block-by-block reference built on bare AES, their clear bytes compared unchanged.
 */
class SampleEncryptorTest {

    private static final long FIRST_IV = 0x0102030405060708L;
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void cencVideoEncryptsWholeBlocksOfEachSliceWithOneKeystreamPerSample() throws Exception {
        // AUD (6 bytes with its length), SEI (14), IDR slice (105), slice (44), slice too short to protect (14)
        byte[] clear = sample(9, 2, 6, 10, 5, 101, 1, 40, 1, 10);
        byte[] original = clear.clone();
        SampleEncryptor enc = new SampleEncryptor(protection(EncryptionScheme.CENC), AVC,
                ClearHeaderLength.NAL_HEADER, FIRST_IV);
        EncryptedSample out = enc.encrypt(clear);

        // AUD + SEI + length + NAL header + the 4 bytes beyond whole blocks: 6 + 14 + 5 + 4 = 29, then 96;
        // length + header + 7 bytes: 12, then 32; the short slice: 14 clear
        assertEquals(HEX.formatHex(HEX.parseHex("0102030405060708" + "0003" + "001d00000060" + "000c00000020"
                + "000e00000000")), HEX.formatHex(out.auxInfo()));
        int[][] ranges = {{29, 96}, {29 + 96 + 12, 32}};
        assertClearOutside(clear, out.data(), ranges);
        byte[] protectedClear = concat(clear, ranges);
        byte[] protectedCipher = concat(out.data(), ranges);
        byte[] counter = HEX.parseHex("0102030405060708" + "0000000000000000");
        assertArrayEquals(ctrReference(KEY, counter, protectedClear), protectedCipher);
        assumeTrue(OpenSsl.available(), "openssl is needed");
        assertArrayEquals(OpenSsl.encrypt("aes-128-ctr", KEY, counter, protectedClear), protectedCipher);
        assertArrayEquals(original, clear, "the clear sample is shared and must not change");
    }

    @Test
    void cencIvsCountUpPerSampleFromARandomStart() {
        SampleEncryptor enc = new SampleEncryptor(protection(EncryptionScheme.CENC), AAC, null, -1L);
        assertEquals("ffffffffffffffff", HEX.formatHex(enc.encrypt(new byte[20]).auxInfo()));
        assertEquals("0000000000000000", HEX.formatHex(enc.encrypt(new byte[20]).auxInfo()));
        assertEquals("0000000000000001", HEX.formatHex(enc.encrypt(new byte[20]).auxInfo()));
        byte[] a = SampleEncryptor.forTrack(protection(EncryptionScheme.CENC), AAC).encrypt(new byte[1]).auxInfo();
        byte[] b = SampleEncryptor.forTrack(protection(EncryptionScheme.CENC), AAC).encrypt(new byte[1]).auxInfo();
        assertFalse(Arrays.equals(a, b), "each track starts at its own random IV");
    }

    @Test
    void cencAudioEncryptsTheWholeSample() throws Exception {
        byte[] clear = sample(0, 99); // 103 bytes; audio is not parsed, its bytes are just bytes
        EncryptedSample out = new SampleEncryptor(protection(EncryptionScheme.CENC), AAC, null, FIRST_IV)
                .encrypt(clear);
        assertEquals("0102030405060708", HEX.formatHex(out.auxInfo()), "an IV, no subsamples");
        byte[] counter = HEX.parseHex("01020304050607080000000000000000");
        assertArrayEquals(ctrReference(KEY, counter, clear), out.data());
        assumeTrue(OpenSsl.available(), "openssl is needed");
        assertArrayEquals(OpenSsl.encrypt("aes-128-ctr", KEY, counter, clear), out.data());
    }

    @Test
    void cbcsVideoEncryptsOneBlockInTenChainedWithinEachSubsample() throws Exception {
        // SEI (14), IDR slice with 350 bytes after its header, slice with 170, slice with 20
        byte[] clear = sample(6, 10, 5, 351, 1, 171, 1, 21);
        byte[] original = clear.clone();
        EncryptedSample out = new SampleEncryptor(protection(EncryptionScheme.CBCS), AVC,
                ClearHeaderLength.NAL_HEADER, FIRST_IV).encrypt(clear);

        // no IV (constant); 14 + 5 clear then 350, 5 then 170, 5 then 20: the ranges run to each NAL unit's end
        assertEquals("0003" + "0013" + "0000015e" + "0005" + "000000aa" + "0005" + "00000014",
                HEX.formatHex(out.auxInfo()));
        int s1 = 19;
        int s2 = s1 + 350 + 5;
        int s3 = s2 + 170 + 5;
        // the 1:9 pattern: blocks at 0, 160 and 320 of the first range (its last 14 bytes are skipped anyway);
        // block 0 of the second, whose partial block at 160..169 stays clear; block 0 of the third, 4 bytes clear
        int[][] chain1 = {{s1, 16}, {s1 + 160, 16}, {s1 + 320, 16}};
        int[][] chain2 = {{s2, 16}};
        int[][] chain3 = {{s3, 16}};
        int[][] all = {chain1[0], chain1[1], chain1[2], chain2[0], chain3[0]};
        assertClearOutside(clear, out.data(), all);
        for (int[][] chain : new int[][][] {chain1, chain2, chain3}) {
            byte[] expected = cbcReference(KEY, CONSTANT_IV, concat(clear, chain));
            assertArrayEquals(expected, concat(out.data(), chain), "each subsample is one chain from the IV");
            if (OpenSsl.available()) {
                assertArrayEquals(OpenSsl.encrypt("aes-128-cbc", KEY, CONSTANT_IV, concat(clear, chain)),
                        concat(out.data(), chain));
            }
        }
        assertArrayEquals(original, clear);
    }

    @Test
    void cbcsAudioEncryptsEveryWholeBlockInOneChainAndLeavesThePartialBlock() throws Exception {
        byte[] clear = sample(0, 96); // 100 bytes: 6 whole blocks, 4 bytes over
        EncryptedSample out = new SampleEncryptor(protection(EncryptionScheme.CBCS), AAC, null, FIRST_IV)
                .encrypt(clear);
        assertEquals(0, out.auxInfo().length, "constant IV, no subsamples: no auxiliary information");
        int[][] blocks = {{0, 96}};
        assertClearOutside(clear, out.data(), blocks);
        assertArrayEquals(cbcReference(KEY, CONSTANT_IV, concat(clear, blocks)), concat(out.data(), blocks));
        assumeTrue(OpenSsl.available(), "openssl is needed");
        assertArrayEquals(OpenSsl.encrypt("aes-128-cbc", KEY, CONSTANT_IV, concat(clear, blocks)),
                concat(out.data(), blocks));
    }

    @Test
    void aPluggedSliceHeaderLengthKeepsMoreClear() {
        byte[] clear = sample(5, 101);
        EncryptedSample out = new SampleEncryptor(protection(EncryptionScheme.CENC), AVC,
                (s, offset, length) -> 20, FIRST_IV).encrypt(clear);
        // 4 + 20 clear, 81 left: 80 protected, the extra byte joins the clear part
        assertEquals("0001" + "001900000050", HEX.formatHex(Arrays.copyOfRange(out.auxInfo(), 8, 16)));
        assertArrayEquals(Arrays.copyOf(clear, 25), Arrays.copyOf(out.data(), 25));
    }

    private static void assertClearOutside(byte[] clear, byte[] encrypted, int[][] ranges) {
        assertEquals(clear.length, encrypted.length);
        boolean[] inRange = new boolean[clear.length];
        for (int[] r : ranges) {
            Arrays.fill(inRange, r[0], r[0] + r[1], true);
            assertFalse(Arrays.equals(Arrays.copyOfRange(clear, r[0], r[0] + r[1]),
                    Arrays.copyOfRange(encrypted, r[0], r[0] + r[1])), "range at " + r[0] + " is encrypted");
        }
        for (int i = 0; i < clear.length; i++) {
            if (!inRange[i]) {
                assertEquals(clear[i], encrypted[i], "byte " + i + " stays clear");
            }
        }
    }

    private static byte[] concat(byte[] data, int[][] ranges) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] r : ranges) {
            out.write(data, r[0], r[1]);
        }
        return out.toByteArray();
    }

    /** CTR from bare AES: keystream block i is AES(counter + i), the counter a 128-bit big-endian integer. */
    static byte[] ctrReference(byte[] key, byte[] counter, byte[] data) throws GeneralSecurityException {
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        byte[] ctr = counter.clone();
        byte[] out = new byte[data.length];
        for (int block = 0; block * 16 < data.length; block++) {
            byte[] keystream = aes.doFinal(ctr);
            for (int i = block * 16; i < Math.min(data.length, block * 16 + 16); i++) {
                out[i] = (byte) (data[i] ^ keystream[i - block * 16]);
            }
            for (int i = 15; i >= 0 && ++ctr[i] == 0; i--) {
                // carry into the next byte up
            }
        }
        return out;
    }

    /** CBC from bare AES: each block XORed with the previous ciphertext block (the IV for the first). */
    static byte[] cbcReference(byte[] key, byte[] iv, byte[] blocks) throws GeneralSecurityException {
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        byte[] previous = iv.clone();
        byte[] out = new byte[blocks.length];
        for (int at = 0; at < blocks.length; at += 16) {
            byte[] block = new byte[16];
            for (int i = 0; i < 16; i++) {
                block[i] = (byte) (blocks[at + i] ^ previous[i]);
            }
            previous = aes.doFinal(block);
            System.arraycopy(previous, 0, out, at, 16);
        }
        return out;
    }
}
