package io.estuary.media.frame;

/**
 * Codec configuration carried as track metadata (the decoder configuration record a packager needs for its
 * sample entry). A sealed family so that every consumer must say what it does with each codec; HEVC, AV1 and
 * Opus join it as new records without touching the ones here.
 */
public sealed interface CodecConfig permits VideoCodecConfig, AudioCodecConfig {

    MediaType mediaType();

    /** The RFC 6381 codec string, as used in HLS CODECS and DASH @codecs (for example {@code avc1.64001f}). */
    String codecString();

    /** A short human name for logs and the API ({@code H264}, {@code AAC}). */
    String name();
}
