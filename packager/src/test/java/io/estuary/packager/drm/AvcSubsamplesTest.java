package io.estuary.packager.drm;

import static io.estuary.packager.drm.CencTestData.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Subsample maps of H.264 samples, entry by entry. */
class AvcSubsamplesTest {

    private static final ClearHeaderLength HEADER = ClearHeaderLength.NAL_HEADER;

    private static AvcSubsamples cenc() {
        return new AvcSubsamples(4, EncryptionScheme.CENC, HEADER, 40);
    }

    private static List<Subsample> map(int... clearAndProtected) {
        List<Subsample> m = new ArrayList<>();
        for (int i = 0; i < clearAndProtected.length; i += 2) {
            m.add(new Subsample(clearAndProtected[i], clearAndProtected[i + 1]));
        }
        return m;
    }

    @Test
    void nonVclUnitsStayClearAndMergeIntoTheNextSlice() {
        // SPS (type 7), PPS (8), SEI (6), AUD (9), filler (12): all clear, then an IDR slice
        byte[] s = sample(7, 20, 8, 6, 6, 30, 9, 2, 12, 5, 5, 33);
        assertEquals(map(24 + 10 + 34 + 6 + 9 + 5, 32), cenc().split(s));
    }

    @Test
    void aSampleWithoutSlicesIsOneClearEntry() {
        assertEquals(map(24 + 10, 0), cenc().split(sample(6, 20, 9, 6)));
    }

    @Test
    void everySliceTypeIsProtectedAndOthersAreNot() {
        for (int type = 0; type < 32; type++) {
            List<Subsample> m = cenc().split(sample(type, 65));
            boolean vcl = type >= 1 && type <= 5;
            assertEquals(vcl ? map(5, 64) : map(69, 0), m, "NAL unit type " + type);
        }
    }

    @Test
    void cbcsProtectsToTheEndOfTheSliceAndCencOnlyWholeBlocks() {
        byte[] s = sample(1, 1 + 100);
        assertEquals(map(5 + 4, 96), cenc().split(s));
        assertEquals(map(5, 100), new AvcSubsamples(4, EncryptionScheme.CBCS, HEADER, 40).split(s));
    }

    @Test
    void aRangeUnderOneBlockStaysClear() {
        byte[] s = sample(5, 16, 1, 17);
        assertEquals(map(20 + 5, 16), cenc().split(s));
        assertEquals(map(20 + 5, 16), new AvcSubsamples(4, EncryptionScheme.CBCS, HEADER, 40).split(s));
    }

    @Test
    void clearRunsOver65535BytesAreSplit() {
        byte[] s = sample(6, 70_000, 5, 65);
        assertEquals(map(65535, 0, 70_004 + 5 - 65535, 64), cenc().split(s));
        byte[] tail = sample(5, 65, 6, 140_000);
        assertEquals(map(5, 64, 65535, 0, 65535, 0, 140_004 - 2 * 65535, 0), cenc().split(tail));
    }

    @Test
    void theClearHeaderLengthDecidesWhereProtectionStarts() {
        byte[] s = sample(5, 101);
        assertEquals(map(4 + 3 + 2, 96), new AvcSubsamples(4, EncryptionScheme.CENC, (b, o, l) -> 3, 40).split(s));
        assertEquals(map(4 + 1 + 4, 96), new AvcSubsamples(4, EncryptionScheme.CENC, (b, o, l) -> -1, 40).split(s),
                "a parser that cannot tell keeps the NAL header clear");
        assertEquals(map(105, 0), new AvcSubsamples(4, EncryptionScheme.CENC, (b, o, l) -> 500, 40).split(s),
                "never more than the NAL unit");
    }

    @Test
    void theClearHeaderLengthSeesTheNalUnit() {
        byte[] s = sample(6, 10, 5, 101);
        List<Integer> seen = new ArrayList<>();
        new AvcSubsamples(4, EncryptionScheme.CENC, (b, offset, length) -> {
            seen.add(offset);
            seen.add(length);
            seen.add(b[offset] & 0x1f);
            return 1;
        }, 40).split(s);
        assertEquals(List.of(14 + 4, 101, 5), seen, "asked only about the slice, at its header byte");
    }

    @Test
    void otherNalLengthSizes() {
        byte[] s = {0, 33, 0x65}; // a two-byte length field, an IDR slice of 33 bytes
        s = Arrays.copyOf(s, 2 + 33);
        assertEquals(map(2 + 1, 32), new AvcSubsamples(2, EncryptionScheme.CENC, HEADER, 40).split(s));
    }

    @Test
    void aLengthPastTheSampleEndProtectsTheRest() {
        byte[] s = sample(6, 10, 5, 101);
        s[14 + 3] = (byte) 200; // the slice claims 200 bytes, 101 are there
        assertEquals(map(14 + 9, 96), cenc().split(s), "fail closed: the unparsed rest is protected");
        byte[] truncatedLength = Arrays.copyOf(sample(6, 10), 16); // two bytes of a length field
        assertEquals(map(16, 0), cenc().split(truncatedLength));
    }

    @Test
    void tooManySlicesKeepTheLargestProtected() {
        int[] units = new int[2 * 60];
        for (int i = 0; i < 60; i++) {
            units[2 * i] = 1;
            units[2 * i + 1] = 1 + 16 * (i % 7 + 1); // slices of 1 to 7 blocks
        }
        byte[] s = sample(units);
        List<Subsample> m = cenc().split(s);
        assertTrue(m.size() <= 40, m.size() + " entries");
        assertTiles(s.length, m);
        List<Integer> kept = m.stream().map(Subsample::protectedBytes).filter(p -> p > 0).toList();
        assertTrue(kept.size() >= 38, "as many slices protected as fit: " + kept.size());
        assertTrue(kept.stream().allMatch(p -> p >= 3 * 16), "only the largest: " + kept);
        assertEquals(24, kept.stream().filter(p -> p >= 5 * 16).count(), "every slice of 5 to 7 blocks");
    }

    @Test
    void randomSamplesAreTiledExactlyWithinTheLimits() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            int units = 1 + random.nextInt(12);
            int[] spec = new int[2 * units];
            for (int i = 0; i < units; i++) {
                spec[2 * i] = random.nextInt(10);
                spec[2 * i + 1] = 1 + random.nextInt(random.nextInt(8) == 0 ? 90_000 : 300);
            }
            byte[] s = sample(spec);
            for (EncryptionScheme scheme : EncryptionScheme.values()) {
                List<Subsample> m = new AvcSubsamples(4, scheme, HEADER, 8).split(s);
                assertTrue(m.size() <= 8);
                assertTiles(s.length, m);
                for (Subsample e : m) {
                    assertTrue(e.protectedBytes() == 0 || e.protectedBytes() >= 16);
                    assertTrue(scheme != EncryptionScheme.CENC || e.protectedBytes() % 16 == 0);
                }
            }
        }
    }

    private static void assertTiles(int length, List<Subsample> m) {
        assertEquals(length, m.stream().mapToLong(e -> (long) e.clearBytes() + e.protectedBytes()).sum());
    }
}
