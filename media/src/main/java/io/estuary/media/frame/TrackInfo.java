package io.estuary.media.frame;

import java.util.Objects;

/**
 * One elementary stream of a live stream. {@code timescale} is the unit of every timestamp of the track's frames:
 * 90 kHz for video, the sample rate for audio.
 */
public record TrackInfo(int trackId, MediaType type, int timescale, CodecConfig config) {

    public static final int VIDEO_TIMESCALE = 90_000;

    public TrackInfo {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
        if (timescale <= 0) {
            throw new IllegalArgumentException("timescale must be positive: " + timescale);
        }
        if (config.mediaType() != type) {
            throw new IllegalArgumentException("config " + config + " does not fit a " + type + " track");
        }
    }

    public static TrackInfo video(int trackId, VideoCodecConfig config) {
        return new TrackInfo(trackId, MediaType.VIDEO, VIDEO_TIMESCALE, config);
    }

    public static TrackInfo audio(int trackId, AudioCodecConfig config) {
        return new TrackInfo(trackId, MediaType.AUDIO, config.sampleRate(), config);
    }
}
