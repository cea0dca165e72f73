package io.estuary.packager.drm;

/**
 * How many bytes of a video NAL unit, counted from its NAL header byte, must stay clear so that a player can
 * still parse what it needs without the key: for H.264 slices, the NAL header and the slice header. Common
 * Encryption requires at least the NAL header (and the length field before it, which the splitter always keeps
 * clear); leaving the whole slice header clear is what HLS SAMPLE-AES and some secure decoders further expect.
 * The H.264 slice-header parser fits this shape ({@code SliceHeaderParser::headerBytes}).
 */
@FunctionalInterface
public interface ClearHeaderLength {

    /** Only the NAL header byte: always valid, and what the splitter falls back to when a parser cannot tell. */
    ClearHeaderLength NAL_HEADER = (sample, nalOffset, nalLength) -> 1;

    /**
     * @param sample    the sample's bytes
     * @param nalOffset where the NAL unit's header byte is
     * @param nalLength the NAL unit's length, header byte included
     * @return the bytes to leave clear from {@code nalOffset} on, at least 1; or -1 when unknown, which counts as 1
     */
    int clearBytes(byte[] sample, int nalOffset, int nalLength);
}
