package io.estuary.packager.cmaf;

import io.estuary.media.frame.AudioCodecConfig;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import java.time.Duration;
import java.util.Collection;

/**
 * The PART-TARGET a stream declares. Video parts are cut at the configured part target. Audio parts are cut at
 * the same media times as video, but audio frames (1024 samples, 21.3 ms at 48 kHz) do not fall on video frame
 * boundaries, so an aligned audio part may run up to one audio frame longer. When a stream has both, it declares
 * the configured target plus one audio frame (rounded up to the millisecond, as playlists print milliseconds). Then
 * every part of every track stays within the declared target, and all but the last of a segment stay above 85% of
 * it (RFC 8216bis 6.2.2). Without that allowance, a 200 ms target at 30 fps would need 5-frame video parts: 83%.
 */
public final class PartTarget {

    private PartTarget() {
    }

    public static Duration declared(Duration configured, Collection<TrackInfo> tracks) {
        boolean video = tracks.stream().anyMatch(t -> t.type() == MediaType.VIDEO);
        long longestAudioFrameNanos = 0;
        for (TrackInfo t : tracks) {
            if (t.config() instanceof AudioCodecConfig a) {
                longestAudioFrameNanos = Math.max(longestAudioFrameNanos,
                        a.samplesPerFrame() * 1_000_000_000L / a.sampleRate());
            }
        }
        if (!video || longestAudioFrameNanos == 0) {
            return configured;
        }
        long millis = (longestAudioFrameNanos + 999_999) / 1_000_000;
        return configured.plusMillis(millis);
    }
}
