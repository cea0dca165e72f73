package io.estuary.packager.hls;

import io.estuary.media.frame.AudioCodecConfig;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.VideoCodecConfig;
import io.estuary.packager.drm.StreamProtection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders the multivariant playlist from the tracks of the latest publish session: one EXT-X-MEDIA per audio track
 * (group {@code audio}, the first is the default) and one EXT-X-STREAM-INF per video track; an audio-only stream
 * gets one EXT-X-STREAM-INF pointing at its audio playlist.
 *
 * <p>BANDWIDTH is the peak segment bit rate in the window, video plus the default audio (the sum of each track's
 * peak: an upper bound, as the RFC asks); AVERAGE-BANDWIDTH the sum of the average rates. Before a track has a
 * complete segment its parts stand in. Sizes are those of the CMAF objects served (moof + mdat).
 *
 * <p>The playlist waits for a part of every track, so that a player starting early still sees every rendition;
 * once a track has completed a segment it waits no more, and lists only the tracks that have parts: a rendition
 * that never comes must not keep the whole stream from playing.
 */
final class MultivariantPlaylistWriter {

    static final String AUDIO_GROUP = "audio";

    private MultivariantPlaylistWriter() {
    }

    /** Null until every track has a part, or one has a complete segment. */
    static String write(List<TrackSnapshot> tracks) {
        boolean waiting = tracks.stream().anyMatch(t -> !t.hasParts());
        if (tracks.isEmpty() || waiting && tracks.stream().noneMatch(MultivariantPlaylistWriter::completedInEpoch)) {
            return null;
        }
        List<TrackSnapshot> videos = new ArrayList<>();
        List<TrackSnapshot> audios = new ArrayList<>();
        for (TrackSnapshot t : tracks) {
            if (t.hasParts()) {
                (t.track.info().type() == MediaType.VIDEO ? videos : audios).add(t);
            }
        }
        StringBuilder b = new StringBuilder(512);
        b.append("#EXTM3U\n");
        b.append("#EXT-X-VERSION:").append(MediaPlaylistWriter.VERSION).append('\n');
        b.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        // The keys of the latest session, so players can get licenses while they fetch the first media playlist.
        Set<StreamProtection> sessionKeys = new LinkedHashSet<>();
        for (TrackSnapshot t : tracks) {
            if (t.track.protection() != null) {
                sessionKeys.add(t.track.protection());
            }
        }
        for (StreamProtection p : sessionKeys) {
            HlsKeyTags.append(b, HlsKeyTags.SESSION_KEY, p, false);
        }
        TrackSnapshot audio = audios.isEmpty() ? null : audios.get(0);
        if (!videos.isEmpty()) {
            for (TrackSnapshot a : audios) {
                AudioCodecConfig ac = (AudioCodecConfig) a.track.info().config();
                b.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(AUDIO_GROUP).append("\",NAME=\"")
                        .append(a.name).append("\",DEFAULT=").append(a == audio ? "YES" : "NO")
                        .append(",AUTOSELECT=YES,CHANNELS=\"").append(ac.channels()).append("\",URI=\"")
                        .append(a.name).append(".m3u8\"\n");
            }
            for (TrackSnapshot v : videos) {
                VideoCodecConfig vc = (VideoCodecConfig) v.track.info().config();
                Rates rates = Rates.of(v).plus(audio == null ? Rates.ZERO : Rates.of(audio));
                b.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(rates.peak).append(",AVERAGE-BANDWIDTH=")
                        .append(rates.average).append(",CODECS=\"").append(vc.codecString());
                if (audio != null) {
                    b.append(',').append(audio.track.info().config().codecString());
                }
                b.append('"');
                if (vc.width() > 0 && vc.height() > 0) {
                    b.append(",RESOLUTION=").append(vc.width()).append('x').append(vc.height());
                }
                double fps = vc.frameRate() > 0 ? vc.frameRate() : measuredFrameRate(v);
                if (fps > 0) {
                    b.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", fps));
                }
                if (audio != null) {
                    b.append(",AUDIO=\"").append(AUDIO_GROUP).append('"');
                }
                b.append('\n').append(v.name).append(".m3u8\n");
            }
        } else {
            Rates rates = Rates.of(audio);
            b.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(rates.peak).append(",AVERAGE-BANDWIDTH=")
                    .append(rates.average).append(",CODECS=\"").append(audio.track.info().config().codecString())
                    .append("\"\n").append(audio.name).append(".m3u8\n");
        }
        return b.toString();
    }

    /** Whether the track has completed a segment of its current epoch (of this publish session). */
    private static boolean completedInEpoch(TrackSnapshot t) {
        for (Segment s : t.segments) {
            if (s.isComplete() && !s.gap() && s.epoch().equals(t.track.epoch())) {
                return true;
            }
        }
        return false;
    }

    /** Samples per second over every part in the window. */
    static double measuredFrameRate(TrackSnapshot t) {
        long samples = 0;
        double seconds = 0;
        for (Segment s : t.segments) {
            if (s.gap()) {
                continue;
            }
            for (Part p : s.parts()) {
                samples += p.sampleCount();
                seconds += (double) p.durationTicks() / s.timescale();
            }
        }
        return seconds > 0 ? samples / seconds : 0;
    }

    /** Bit rates in bits per second, rounded up. */
    record Rates(long peak, long average) {

        static final Rates ZERO = new Rates(0, 0);

        Rates plus(Rates other) {
            return new Rates(peak + other.peak, average + other.average);
        }

        static Rates of(TrackSnapshot t) {
            double peak = 0;
            long bytes = 0;
            long nanos = 0;
            for (Segment s : t.segments) {
                if (s.isComplete() && !s.gap() && s.durationNanos() > 0) {
                    peak = Math.max(peak, s.mediaBytes() * 8e9 / s.durationNanos());
                    bytes += s.mediaBytes();
                    nanos += s.durationNanos();
                }
            }
            if (nanos == 0) {
                Segment open = t.openSegment();
                if (open == null || open.durationNanos() == 0) {
                    return ZERO;
                }
                double rate = open.mediaBytes() * 8e9 / open.durationNanos();
                return new Rates((long) Math.ceil(rate), (long) Math.ceil(rate));
            }
            return new Rates((long) Math.ceil(peak), (long) Math.ceil(bytes * 8e9 / nanos));
        }
    }
}
