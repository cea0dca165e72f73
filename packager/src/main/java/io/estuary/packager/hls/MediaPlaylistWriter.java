package io.estuary.packager.hls;

import io.estuary.packager.drm.StreamProtection;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders an LL-HLS media playlist (RFC 8216bis) from a track snapshot. Deterministic text: durations of segments
 * and parts with 5 decimals, configuration-derived seconds (PART-TARGET, PART-HOLD-BACK, CAN-SKIP-UNTIL) with 3,
 * always with a dot (Locale.ROOT).
 *
 * <p>Every segment carries its EXT-X-PROGRAM-DATE-TIME. EXT-X-MAP comes before the first listed segment, again after
 * each discontinuity, and before the first segment after an EXT-X-SKIP, so a delta update never hides the
 * initialization section that the remaining segments need.
 *
 * <p>A segment the track has no media for (a rendition silent while its siblings went on) is listed with EXT-X-GAP
 * and without parts, so that the track's segment N stays its siblings' segment N (RFC 8216bis 4.4.4.7).
 */
final class MediaPlaylistWriter {

    static final int VERSION = 9;
    /** An EXT-X-SKIP that replaces EXT-X-DATERANGE tags (v2 delta updates) needs version 10 (RFC 8216bis 8). */
    static final int VERSION_SKIP_DATERANGES = 10;
    /** EXT-X-PART tags are listed for the segments of the last three target durations (RFC 8216bis 6.2.2). */
    static final int PART_WINDOW_TARGET_DURATIONS = 3;
    /** CAN-SKIP-UNTIL: the RFC's minimum, six target durations. */
    static final int SKIP_TARGET_DURATIONS = 6;
    /** PART-HOLD-BACK: the RFC's recommendation, three part targets. */
    static final int PART_HOLD_BACK_PART_TARGETS = 3;

    private static final DateTimeFormatter PDT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private MediaPlaylistWriter() {
    }

    static String write(TrackSnapshot t, SkipMode mode) {
        List<Segment> segments = t.segments;
        int skipped = mode == SkipMode.NONE ? 0 : skippable(t);
        boolean v2 = mode == SkipMode.V2 && skipped > 0;
        double partTarget = t.config.partTarget().toNanos() / 1e9;

        StringBuilder b = new StringBuilder(256 + segments.size() * 160);
        b.append("#EXTM3U\n");
        b.append("#EXT-X-VERSION:").append(v2 ? VERSION_SKIP_DATERANGES : VERSION).append('\n');
        b.append("#EXT-X-TARGETDURATION:").append(t.targetDuration).append('\n');
        b.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=")
                .append(seconds3(SKIP_TARGET_DURATIONS * (double) t.targetDuration))
                .append(",CAN-SKIP-DATERANGES=YES,PART-HOLD-BACK=")
                .append(seconds3(PART_HOLD_BACK_PART_TARGETS * partTarget)).append('\n');
        b.append("#EXT-X-PART-INF:PART-TARGET=").append(seconds3(partTarget)).append('\n');
        Segment first = segments.get(0);
        b.append("#EXT-X-MEDIA-SEQUENCE:").append(first.msn()).append('\n');
        b.append("#EXT-X-DISCONTINUITY-SEQUENCE:")
                .append(first.discontinuitySequence() - (first.discontinuity() ? 1 : 0)).append('\n');
        if (skipped > 0) {
            b.append("#EXT-X-SKIP:SKIPPED-SEGMENTS=").append(skipped);
            if (v2) {
                b.append(",RECENTLY-REMOVED-DATERANGES=\"\"");
            }
            b.append('\n');
        }

        int firstWithParts = firstSegmentWithParts(t);
        StreamProtection keys = null;
        for (int i = skipped; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s.discontinuity()) {
                b.append("#EXT-X-DISCONTINUITY\n");
            }
            if (i == skipped || s.discontinuity() || !s.epoch().equals(segments.get(i - 1).epoch())) {
                // A key is fixed for an epoch. Its tags precede the first listed segment, so that a delta update
                // (which drops earlier tags with the skipped segments) still names the key of what it lists, and
                // come again where a new epoch brings another key (or clear media).
                StreamProtection protection = s.track().protection();
                if (i == skipped || !Objects.equals(protection, keys)) {
                    HlsKeyTags.append(b, HlsKeyTags.KEY, protection, keys != null);
                    keys = protection;
                }
                b.append("#EXT-X-MAP:URI=\"").append(ObjectPath.init(t.name, s.epoch())).append("\"\n");
            }
            b.append("#EXT-X-PROGRAM-DATE-TIME:").append(PDT.format(Instant.ofEpochMilli(s.wallClockMillis())))
                    .append('\n');
            if (s.gap()) {
                b.append("#EXT-X-GAP\n");
            } else if (i >= firstWithParts) {
                for (Part p : s.parts()) {
                    b.append("#EXT-X-PART:DURATION=").append(seconds5(p.durationTicks(), s.timescale()))
                            .append(",URI=\"").append(ObjectPath.part(t.name, s.epoch(), s.msn(), p.index()))
                            .append('"');
                    if (p.independent()) {
                        b.append(",INDEPENDENT=YES");
                    }
                    b.append('\n');
                }
            }
            if (s.isComplete()) {
                b.append("#EXTINF:").append(seconds5(s.durationTicks(), s.timescale())).append(",\n");
                b.append(ObjectPath.segment(t.name, s.epoch(), s.msn())).append('\n');
            }
        }
        if (t.hint != null) {
            b.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"")
                    .append(ObjectPath.part(t.name, t.hint.epoch(), t.hint.msn(), t.hint.part())).append("\"\n");
        }
        for (TrackSnapshot.RenditionReport r : t.reports) {
            b.append("#EXT-X-RENDITION-REPORT:URI=\"").append(r.name()).append(".m3u8\",LAST-MSN=")
                    .append(r.lastMsn()).append(",LAST-PART=").append(r.lastPart()).append('\n');
        }
        return b.toString();
    }

    /**
     * Completed segments (a prefix of the window) whose end lies at least CAN-SKIP-UNTIL before the end of the last
     * completed segment (RFC 8216bis 6.2.5.1). The open segment is never skipped.
     */
    static int skippable(TrackSnapshot t) {
        long boundary = SKIP_TARGET_DURATIONS * (long) t.targetDuration * 1_000_000_000L;
        long fromEnd = 0;
        int lastComplete = t.segments.size() - 1;
        if (!t.segments.get(lastComplete).isComplete()) {
            lastComplete--;
        }
        for (int i = lastComplete; i >= 0; i--) {
            if (fromEnd >= boundary) {
                return i + 1;
            }
            fromEnd += t.segments.get(i).durationNanos();
        }
        return 0;
    }

    /** Index of the oldest segment whose parts are listed: parts cover at least the last three target durations. */
    static int firstSegmentWithParts(TrackSnapshot t) {
        long window = PART_WINDOW_TARGET_DURATIONS * (long) t.targetDuration * 1_000_000_000L;
        long newer = 0;
        int i = t.segments.size() - 1;
        while (i > 0 && newer + t.segments.get(i).durationNanos() < window) {
            newer += t.segments.get(i).durationNanos();
            i--;
        }
        return i;
    }

    /** Seconds with three decimals, rounded half up (the few attribute values of the playlist's header). */
    static String seconds3(double seconds) {
        return BigDecimal.valueOf(seconds).setScale(3, RoundingMode.HALF_UP).toPlainString();
    }

    /**
     * {@code ticks / timescale} seconds with five decimals, rounded half up, in integer arithmetic. It runs for
     * every part and segment of every playlist version (each part makes one); String.format did the same work at
     * more cost than all the rest of the rendering.
     */
    static String seconds5(long ticks, int timescale) {
        if (ticks < 0) {
            throw new IllegalArgumentException("negative duration: " + ticks);
        }
        long scaled = (ticks * 200_000 + timescale) / (2L * timescale);
        String fraction = Long.toString(scaled % 100_000);
        StringBuilder b = new StringBuilder(16).append(scaled / 100_000).append('.');
        for (int i = fraction.length(); i < 5; i++) {
            b.append('0');
        }
        return b.append(fraction).toString();
    }
}
