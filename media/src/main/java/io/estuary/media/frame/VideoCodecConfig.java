package io.estuary.media.frame;

/** Configuration of a video codec: what every video consumer needs regardless of the codec. */
public sealed interface VideoCodecConfig extends CodecConfig permits AvcConfig {

    int width();

    int height();

    /** Frames per second signalled in the bitstream (VUI), or 0 when the bitstream does not say. */
    double frameRate();

    @Override
    default MediaType mediaType() {
        return MediaType.VIDEO;
    }
}
