package io.estuary.packager.hls;

import io.estuary.media.frame.AudioCodecConfig;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.frame.VideoCodecConfig;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.dash.Mpd;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link Mpd} of a stream from the same live window the HLS playlists come from: each Period lists the
 * completed segments of its epochs and, while the session runs, the segment being produced (or, between two
 * segments, the next one) with its expected duration: the last segment's, or the segment target before there is
 * one. Players learn of a segment as soon as it starts and fetch it chunk by chunk; when it completes, the next
 * MPD gives its real duration. Number is the media sequence number, so the URLs are the HLS ones.
 */
final class DashModel {

    private DashModel() {
    }

    /** Null until a Period is anchored and every track of the latest session has a part. */
    static Mpd build(DashPeriods periods, Map<String, TrackSnapshot> tracks, boolean live, boolean ready,
            PackagerConfig config) {
        List<DashPeriods.View> views = periods.views();
        if (!ready || views.isEmpty()) {
            return null;
        }
        List<Mpd.Period> out = new ArrayList<>();
        long maxSegmentMillis = 0;
        for (DashPeriods.View period : views) {
            List<Mpd.Representation> reps = new ArrayList<>();
            for (MediaType type : List.of(MediaType.VIDEO, MediaType.AUDIO)) {
                for (Map.Entry<String, String> e : period.epochs().entrySet()) {
                    TrackSnapshot t = tracks.get(e.getKey());
                    if (t == null || t.track.info().type() != type) {
                        continue;
                    }
                    Mpd.Representation r = representation(period, t, e.getValue(), live && !period.ended(), config);
                    if (r == null) {
                        continue;
                    }
                    reps.add(r);
                    for (Mpd.Entry entry : r.timeline()) {
                        maxSegmentMillis = Math.max(maxSegmentMillis,
                                (entry.duration() * 1000 + r.timescale() - 1) / r.timescale());
                    }
                }
            }
            if (!reps.isEmpty()) {
                out.add(new Mpd.Period(period.id(), period.startMillis(), reps));
            }
        }
        if (out.isEmpty()) {
            return null;
        }
        // The time-shift buffer spans the listed segments on the wall clock, from the first one's start to the end of
        // the one being produced: across a republish that includes the pause between the two sessions.
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Mpd.Period p : out) {
            for (Mpd.Representation r : p.representations()) {
                Mpd.Entry a = r.timeline().get(0);
                Mpd.Entry z = r.timeline().get(r.timeline().size() - 1);
                long pto = r.presentationTimeOffset();
                first = Math.min(first, p.startMillis() + (a.start() - pto) * 1000 / r.timescale());
                last = Math.max(last, p.startMillis() + (z.start() + z.duration() - pto) * 1000 / r.timescale());
            }
        }
        long depth = last - first;
        double ato = Math.max(0.1, (config.segmentTarget().toMillis() - config.partTarget().toMillis()) / 1000.0);
        return new Mpd(periods.availabilityStartMillis(), 0, Math.max(depth, config.segmentTarget().toMillis()),
                maxSegmentMillis, ato, out);
    }

    private static Mpd.Representation representation(DashPeriods.View period, TrackSnapshot t, String epoch,
            boolean producing, PackagerConfig config) {
        long offset = period.compositionOffsets().getOrDefault(t.name, 0L);
        List<Segment> segments = new ArrayList<>();
        for (Segment s : t.segments) {
            if (s.epoch().equals(epoch)) {
                segments.add(s);
            }
        }
        List<Mpd.Entry> timeline = new ArrayList<>();
        long startNumber = -1;
        Segment lastComplete = null;
        for (Segment s : segments) {
            if (s.isComplete()) {
                timeline.add(new Mpd.Entry(s.decodeStart() + offset, s.durationTicks()));
                startNumber = startNumber < 0 ? s.msn() : startNumber;
                lastComplete = s;
            }
        }
        TrackSnapshot.Hint hint = t.hint;
        if (producing && hint != null && hint.epoch().equals(epoch)) {
            int timescale = t.track.info().timescale();
            long expected = lastComplete != null ? lastComplete.durationTicks()
                    : config.segmentTarget().toMillis() * timescale / 1000;
            Segment open = t.openSegment();
            if (open != null && open.epoch().equals(epoch)) {
                timeline.add(new Mpd.Entry(open.decodeStart() + offset, Math.max(expected, open.durationTicks())));
                startNumber = startNumber < 0 ? open.msn() : startNumber;
            } else if (lastComplete != null && hint.part() == 0 && hint.msn() == lastComplete.msn() + 1) {
                timeline.add(new Mpd.Entry(lastComplete.decodeStart() + offset + lastComplete.durationTicks(),
                        expected));
            }
        }
        if (timeline.isEmpty()) {
            return null;
        }
        TrackInfo info = t.track.info();
        int width = 0;
        int height = 0;
        double fps = 0;
        int sampleRate = 0;
        int channels = 0;
        if (info.config() instanceof VideoCodecConfig v) {
            width = v.width();
            height = v.height();
            fps = v.frameRate() > 0 ? v.frameRate() : MultivariantPlaylistWriter.measuredFrameRate(t);
        } else if (info.config() instanceof AudioCodecConfig a) {
            sampleRate = a.sampleRate();
            channels = a.channels();
        }
        return new Mpd.Representation(t.name, info.type(), info.config().codecString(),
                MultivariantPlaylistWriter.Rates.of(t).peak(), width, height, fps, sampleRate, channels,
                info.timescale(), period.origin(info.timescale()), ObjectPath.init(t.name, epoch),
                t.name + "/" + epoch + "/$Number$.m4s", startNumber, timeline,
                segments.isEmpty() ? t.track.protection() : segments.get(0).track().protection());
    }
}
