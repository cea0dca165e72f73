package io.estuary.media.frame;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One elementary stream of a live stream. {@code timescale} is the unit of every timestamp of the track's frames:
 * 90 kHz for video, the sample rate for audio.
 *
 * @param label the track's name where a stream has several of a kind (an ABR ladder's renditions: {@code source},
 *              {@code 720p}); it names the track in playlist and media URLs, so it is restricted to lower-case
 *              letters, digits and '_'. {@code null} for the single track of its kind an ingest produces, which
 *              the packager names {@code video} or {@code audio}.
 */
public record TrackInfo(int trackId, MediaType type, int timescale, CodecConfig config, String label) {

    public static final int VIDEO_TIMESCALE = 90_000;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]{1,32}");

    public TrackInfo {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
        if (timescale <= 0) {
            throw new IllegalArgumentException("timescale must be positive: " + timescale);
        }
        if (config.mediaType() != type) {
            throw new IllegalArgumentException("config " + config + " does not fit a " + type + " track");
        }
        if (label != null && !isValidLabel(label)) {
            throw new IllegalArgumentException("a track label is 1 to 32 of a-z, 0-9 and '_': " + label);
        }
    }

    public TrackInfo(int trackId, MediaType type, int timescale, CodecConfig config) {
        this(trackId, type, timescale, config, null);
    }

    public static boolean isValidLabel(String label) {
        return label != null && LABEL.matcher(label).matches();
    }

    public static TrackInfo video(int trackId, VideoCodecConfig config) {
        return new TrackInfo(trackId, MediaType.VIDEO, VIDEO_TIMESCALE, config);
    }

    public static TrackInfo audio(int trackId, AudioCodecConfig config) {
        return new TrackInfo(trackId, MediaType.AUDIO, config.sampleRate(), config);
    }

    /** This track under a label (see {@link #label()}). */
    public TrackInfo withLabel(String newLabel) {
        return new TrackInfo(trackId, type, timescale, config, newLabel);
    }

    /** This track as another track id (a transcoder republishing it among its renditions). */
    public TrackInfo withTrackId(int newTrackId) {
        return new TrackInfo(newTrackId, type, timescale, config, label);
    }
}
