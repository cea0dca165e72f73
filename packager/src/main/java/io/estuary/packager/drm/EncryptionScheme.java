package io.estuary.packager.drm;

/**
 * The Common Encryption (ISO/IEC 23001-7) schemes we write. {@code cenc}: AES-128 CTR, an 8-byte IV per sample,
 * the keystream running on across a sample's protected ranges. {@code cbcs}: AES-128 CBC with a constant 16-byte
 * IV, the 1:9 pattern for video, the chain restarting at each subsample, a trailing partial block left clear.
 */
public enum EncryptionScheme {
    CENC("cenc", "SAMPLE-AES-CTR"),
    CBCS("cbcs", "SAMPLE-AES");

    private final String fourcc;
    private final String hlsMethod;

    EncryptionScheme(String fourcc, String hlsMethod) {
        this.fourcc = fourcc;
        this.hlsMethod = hlsMethod;
    }

    /** The {@code schm} scheme_type, also the DASH {@code value} of the mp4protection ContentProtection. */
    public String fourcc() {
        return fourcc;
    }

    /** The METHOD of an HLS EXT-X-KEY for fMP4 segments under this scheme. */
    public String hlsMethod() {
        return hlsMethod;
    }

    /** Parses a config value ({@code cenc} or {@code cbcs}, any case). */
    public static EncryptionScheme parse(String value) {
        for (EncryptionScheme s : values()) {
            if (s.fourcc.equalsIgnoreCase(value.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown encryption scheme '" + value + "' (cenc or cbcs)");
    }
}
