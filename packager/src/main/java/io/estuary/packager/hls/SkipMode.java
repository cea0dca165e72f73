package io.estuary.packager.hls;

/** The {@code _HLS_skip} delivery directive (RFC 8216bis 6.2.5.1). */
public enum SkipMode {
    /** A full playlist. */
    NONE,
    /** {@code _HLS_skip=YES}: skip old media segments. */
    YES,
    /** {@code _HLS_skip=v2}: also skip old EXT-X-DATERANGE tags (and list recently removed ones). */
    V2
}
