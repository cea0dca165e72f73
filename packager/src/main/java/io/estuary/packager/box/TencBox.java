package io.estuary.packager.box;

import java.util.Objects;

/**
 * {@code tenc} (ISO/IEC 23001-7): the defaults that every sample of a protected track uses unless a sample
 * group says otherwise: whether samples are protected, the per-sample IV size (0 with a constant IV), the key ID,
 * and in version 1 the encryption pattern.
 */
public final class TencBox {

    /**
     * The fields of one {@code tenc}.
     *
     * @param version        0 ({@code cenc}) or 1 (pattern schemes such as {@code cbcs}, which carry the pattern)
     * @param cryptByteBlock 16-byte blocks encrypted in each pattern repetition (version 1), 0 to 15
     * @param skipByteBlock  16-byte blocks left clear in each pattern repetition (version 1), 0 to 15
     * @param perSampleIvSize 8 or 16, or 0 when every sample uses {@code constantIv}
     * @param kid            the 16-byte default_KID
     * @param constantIv     the default_constant_IV (8 or 16 bytes) when perSampleIvSize is 0, else {@code null}
     */
    public record Defaults(int version, int cryptByteBlock, int skipByteBlock, int perSampleIvSize, byte[] kid,
            byte[] constantIv) {

        public Defaults {
            Objects.requireNonNull(kid, "kid");
            if (version != 0 && version != 1) {
                throw new IllegalArgumentException("tenc version 0 or 1, not " + version);
            }
            if (version == 0 && (cryptByteBlock != 0 || skipByteBlock != 0)) {
                throw new IllegalArgumentException("a pattern needs tenc version 1");
            }
            if (cryptByteBlock < 0 || cryptByteBlock > 15 || skipByteBlock < 0 || skipByteBlock > 15) {
                throw new IllegalArgumentException("pattern blocks are 4-bit values");
            }
            if (kid.length != 16) {
                throw new IllegalArgumentException("default_KID has 16 bytes");
            }
            if ((perSampleIvSize == 0) != (constantIv != null)) {
                throw new IllegalArgumentException("a constant IV exactly when there is no per-sample IV");
            }
            if (perSampleIvSize != 0 && perSampleIvSize != 8 && perSampleIvSize != 16) {
                throw new IllegalArgumentException("per-sample IV size 0, 8 or 16, not " + perSampleIvSize);
            }
            if (constantIv != null && constantIv.length != 8 && constantIv.length != 16) {
                throw new IllegalArgumentException("constant IV of 8 or 16 bytes");
            }
        }
    }

    private TencBox() {
    }

    public static void write(BoxWriter w, Defaults d) {
        int box = w.startFull("tenc", d.version(), 0);
        w.u8(0); // reserved
        w.u8(d.version() == 0 ? 0 : (d.cryptByteBlock() << 4) | d.skipByteBlock()); // reserved in version 0
        w.u8(1); // default_isProtected
        w.u8(d.perSampleIvSize());
        w.bytes(d.kid());
        if (d.perSampleIvSize() == 0) {
            w.u8(d.constantIv().length);
            w.bytes(d.constantIv());
        }
        w.end(box);
    }
}
