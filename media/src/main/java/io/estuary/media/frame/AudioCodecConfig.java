package io.estuary.media.frame;

/** Configuration of an audio codec: what every audio consumer needs regardless of the codec. */
public sealed interface AudioCodecConfig extends CodecConfig permits AacConfig, OpusConfig {

    int sampleRate();

    int channels();

    /** Samples per coded frame (1024 for AAC-LC), used to derive sample durations. */
    int samplesPerFrame();

    @Override
    default MediaType mediaType() {
        return MediaType.AUDIO;
    }
}
