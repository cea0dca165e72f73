package io.estuary.packager.drm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an H.264 sample (length-prefixed NAL units) into the subsample map ISO/IEC 23001-7 prescribes for
 * NAL-structured video: length fields, NAL headers (and as much of each slice header as {@link ClearHeaderLength}
 * says) and every non-VCL NAL unit stay clear, the rest of each slice NAL unit is protected. Clear runs merge into
 * the next entry's clear bytes.
 *
 * <p>{@code cenc}: each protected range is cut down to whole 16-byte blocks, the remainder joining the clear bytes
 * before it, as CMAF recommends and Shaka Packager does for CTR. {@code cbcs}: the range runs to the end of the NAL
 * unit, and the pattern leaves its partial last block clear. A slice with less than one block after its header
 * stays clear under both: there is no whole block to encrypt.
 *
 * <p>{@code saiz} gives each sample's auxiliary information at most 255 bytes, which bounds a map to
 * {@code maxEntries} entries. A sample with more slices than that keeps its largest slices protected and leaves the
 * smallest clear; see {@link #split}.
 */
final class AvcSubsamples {

    private static final int BLOCK = 16;
    private static final int NAL_TYPE_MASK = 0x1f;

    private final int nalLengthSize;
    private final boolean wholeBlocks;
    private final ClearHeaderLength clearHeader;
    private final int maxEntries;

    /**
     * @param maxEntries the most entries a map may have (see the class comment); at least 1
     */
    AvcSubsamples(int nalLengthSize, EncryptionScheme scheme, ClearHeaderLength clearHeader, int maxEntries) {
        if (nalLengthSize < 1 || nalLengthSize > 4) {
            throw new IllegalArgumentException("NAL length size 1 to 4, not " + nalLengthSize);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries " + maxEntries);
        }
        this.nalLengthSize = nalLengthSize;
        this.wholeBlocks = scheme == EncryptionScheme.CENC;
        this.clearHeader = clearHeader;
        this.maxEntries = maxEntries;
    }

    /**
     * The map of one sample. When the plain map has more than {@code maxEntries} entries, only the largest protected
     * ranges stay protected, as many as fit; should even one not fit (megabytes of non-VCL data in one sample),
     * everything after the first NAL header becomes a single protected range. That breaks the rule that NAL
     * headers stay clear, but still decrypts correctly, and beats both writing a {@code saiz} that lies and
     * leaving the picture clear; no honest encoder produces such a sample.
     */
    List<Subsample> split(byte[] sample) {
        Units units = units(sample);
        List<Subsample> map = build(units, 0, 0);
        if (map.size() <= maxEntries) {
            return map;
        }
        int[] sizes = Arrays.stream(units.protect).filter(p -> p > 0).sorted().toArray();
        for (int keep = Math.min(sizes.length, maxEntries); keep >= 1; keep--) {
            int threshold = sizes[sizes.length - keep];
            int larger = (int) Arrays.stream(sizes).filter(p -> p > threshold).count();
            map = build(units, threshold, keep - larger);
            if (map.size() <= maxEntries) {
                return map;
            }
        }
        return singleRange(sample.length, Math.min(sample.length, nalLengthSize + 1));
    }

    /** Each NAL unit as a clear part and a protected part; a malformed tail counts as one protected unit. */
    private Units units(byte[] sample) {
        Units u = new Units();
        int pos = 0;
        while (pos < sample.length) {
            long nalLength = sample.length - pos < nalLengthSize ? -1 : readLength(sample, pos);
            int nal = pos + nalLengthSize;
            if (nalLength < 0 || nalLength > sample.length - nal) {
                // Not NAL units after all: fail closed, protecting the rest rather than sending it clear.
                u.add(sample.length - pos, protectable(sample.length - pos));
                break;
            }
            int end = nal + (int) nalLength;
            int type = nalLength == 0 ? 0 : sample[nal] & NAL_TYPE_MASK;
            if (type >= 1 && type <= 5) { // coded slice (1, 5) or slice data partition A/B/C (2..4)
                int header = clearHeader.clearBytes(sample, nal, (int) nalLength);
                header = header < 1 ? 1 : Math.min(header, (int) nalLength);
                u.add(end - pos, protectable(end - nal - header));
            } else {
                u.add(end - pos, 0);
            }
            pos = end;
        }
        return u;
    }

    /** How much of a range after the clear header is protected: whole blocks for CTR, none under one block. */
    private int protectable(int rest) {
        int p = wholeBlocks ? rest - rest % BLOCK : rest;
        return p < BLOCK ? 0 : p;
    }

    private long readLength(byte[] sample, int pos) {
        long length = 0;
        for (int i = 0; i < nalLengthSize; i++) {
            length = (length << 8) | (sample[pos + i] & 0xff);
        }
        return length;
    }

    /**
     * The map protecting the units whose protected part is larger than {@code threshold} and the first
     * {@code equalToKeep} of those whose part equals it, every other byte clear.
     */
    private static List<Subsample> build(Units units, int threshold, int equalToKeep) {
        List<Subsample> map = new ArrayList<>();
        long clear = 0;
        int equalKept = 0;
        for (int i = 0; i < units.count; i++) {
            int p = units.protect[i];
            boolean keep = p > 0 && (p > threshold || (p == threshold && equalKept++ < equalToKeep));
            if (keep) {
                clear = addClear(map, clear + units.size[i] - p);
                map.add(new Subsample((int) clear, p));
                clear = 0;
            } else {
                clear += units.size[i];
            }
        }
        if (clear > 0) {
            clear = addClear(map, clear);
            map.add(new Subsample((int) clear, 0));
        }
        return map;
    }

    /** Adds all-clear entries until at most 65535 clear bytes are left for the next entry; returns what is left. */
    private static long addClear(List<Subsample> map, long clear) {
        while (clear > Subsample.MAX_CLEAR_BYTES) {
            map.add(new Subsample(Subsample.MAX_CLEAR_BYTES, 0));
            clear -= Subsample.MAX_CLEAR_BYTES;
        }
        return clear;
    }

    private List<Subsample> singleRange(int length, int clearPrefix) {
        int p = protectable(length - clearPrefix);
        return List.of(new Subsample(length - p, p));
    }

    /** The NAL units of one sample: bytes each spans (length field included) and how many of them are protected. */
    private static final class Units {
        int count;
        int[] size = new int[8];
        int[] protect = new int[8];

        /** A unit of {@code total} bytes whose last {@code protectedPart} bytes are protected. */
        void add(int total, int protectedPart) {
            if (count == size.length) {
                size = Arrays.copyOf(size, 2 * count);
                protect = Arrays.copyOf(protect, 2 * count);
            }
            size[count] = total;
            protect[count] = protectedPart;
            count++;
        }
    }
}
