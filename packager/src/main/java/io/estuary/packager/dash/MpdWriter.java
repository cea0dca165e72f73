package io.estuary.packager.dash;

import io.estuary.media.frame.MediaType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a live {@link Mpd} as a dynamic MPD (ISO/IEC 23009-1) for low-latency players (DASH-IF low-latency
 * modes): SegmentTemplate with {@code $Number$} over a SegmentTimeline, because segments are cut on the
 * publisher's keyframes and their durations vary; availabilityTimeOffset with availabilityTimeComplete="false",
 * so players fetch the segment being produced and read it chunk by chunk; a ServiceDescription with the latency
 * to keep; a ProducerReferenceTime tying media time to the wall clock; and UTCTiming pointing at the server's
 * clock. One AdaptationSet per media type, one Representation per track of that type: the renditions of an ABR
 * ladder share the video set, in track order.
 */
public final class MpdWriter {

    public static final String CONTENT_TYPE = "application/dash+xml";
    /** The server's clock, under its origin (UTCTiming). */
    public static final String CLOCK_PATH = "/time";
    static final String UTC_TIMING_SCHEME = "urn:mpeg:dash:utc:http-xsdate:2014";
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private MpdWriter() {
    }

    /**
     * @param origin the server's origin as the player reaches it ({@code http://host:port}): the server's clock is
     *               {@code /time} there, and its ClearKey license endpoint is there too
     */
    public static String write(Mpd mpd, DashConfig config, String origin) {
        String utcTimingUrl = origin + CLOCK_PATH;
        StringBuilder b = new StringBuilder(2048);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"");
        if (ContentProtectionWriter.anyProtected(mpd)) {
            ContentProtectionWriter.namespaces(b);
        }
        b.append(" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\" type=\"dynamic\"");
        attr(b, "availabilityStartTime", dateTime(mpd.availabilityStartMillis()));
        attr(b, "publishTime", dateTime(mpd.publishMillis()));
        attr(b, "minimumUpdatePeriod", duration(config.minimumUpdatePeriod().toMillis()));
        attr(b, "timeShiftBufferDepth", duration(mpd.timeShiftBufferMillis()));
        attr(b, "suggestedPresentationDelay", duration(config.latencyTarget().toMillis()));
        attr(b, "maxSegmentDuration", duration(mpd.maxSegmentMillis()));
        // Low latency leaves players little buffer; one second is what they need to start (DASH-IF LL uses 1 s too).
        attr(b, "minBufferTime", "PT1S");
        b.append(">\n");
        b.append("  <ServiceDescription id=\"0\">\n");
        b.append("    <Latency referenceId=\"0\"");
        attr(b, "target", config.latencyTarget().toMillis());
        attr(b, "min", config.latencyMin().toMillis());
        attr(b, "max", config.latencyMax().toMillis());
        b.append("/>\n    <PlaybackRate");
        attr(b, "min", decimal(config.playbackRateMin()));
        attr(b, "max", decimal(config.playbackRateMax()));
        b.append("/>\n  </ServiceDescription>\n");
        for (Mpd.Period period : mpd.periods()) {
            writePeriod(b, mpd, period, origin);
        }
        b.append("  <UTCTiming");
        attr(b, "schemeIdUri", UTC_TIMING_SCHEME);
        attr(b, "value", utcTimingUrl);
        b.append("/>\n</MPD>\n");
        return b.toString();
    }

    private static void writePeriod(StringBuilder b, Mpd mpd, Mpd.Period period, String origin) {
        String utcTimingUrl = origin + CLOCK_PATH;
        b.append("  <Period");
        attr(b, "id", period.id());
        attr(b, "start", duration(period.startMillis()));
        b.append(">\n");
        int setId = 0;
        for (MediaType type : List.of(MediaType.VIDEO, MediaType.AUDIO)) {
            List<Mpd.Representation> reps = new ArrayList<>();
            for (Mpd.Representation r : period.representations()) {
                if (r.type() == type) {
                    reps.add(r);
                }
            }
            if (reps.isEmpty()) {
                continue;
            }
            Mpd.Representation first = reps.get(0);
            b.append("    <AdaptationSet");
            attr(b, "id", setId++);
            attr(b, "contentType", type == MediaType.VIDEO ? "video" : "audio");
            attr(b, "mimeType", first.mimeType());
            if (type == MediaType.VIDEO && reps.size() > 1) {
                maxima(b, reps);
            }
            b.append(" segmentAlignment=\"true\" startWithSAP=\"1\">\n");
            // All Representations of a set share one key (DASH-IF IOP: one default_KID per AdaptationSet).
            if (first.protection() != null) {
                ContentProtectionWriter.write(b, first.protection(), origin);
            }
            // The wall-clock time at which this Period's first sample was ingested, as the latency reference. Its
            // UTCTiming says the time is an xs:dateTime (without one, players read an NTP timestamp).
            b.append("      <ProducerReferenceTime id=\"0\" type=\"encoder\"");
            attr(b, "wallClockTime", dateTime(mpd.availabilityStartMillis() + period.startMillis()));
            attr(b, "presentationTime", first.presentationTimeOffset());
            b.append(">\n        <UTCTiming");
            attr(b, "schemeIdUri", UTC_TIMING_SCHEME);
            attr(b, "value", utcTimingUrl);
            b.append("/>\n      </ProducerReferenceTime>\n");
            for (Mpd.Representation r : reps) {
                writeRepresentation(b, mpd, r);
            }
            b.append("    </AdaptationSet>\n");
        }
        b.append("  </Period>\n");
    }

    /**
     * The largest picture and rate among a ladder's Representations, so that a player can rule the set out (or
     * size its buffers) before reading each; the segments of the renditions are cut at the same times, which is
     * what segmentAlignment says.
     */
    private static void maxima(StringBuilder b, List<Mpd.Representation> reps) {
        int width = 0;
        int height = 0;
        double fps = 0;
        for (Mpd.Representation r : reps) {
            width = Math.max(width, r.width());
            height = Math.max(height, r.height());
            fps = Math.max(fps, r.frameRate());
        }
        if (width > 0 && height > 0) {
            attr(b, "maxWidth", width);
            attr(b, "maxHeight", height);
        }
        if (fps > 0) {
            attr(b, "maxFrameRate", frameRate(fps));
        }
    }

    private static void writeRepresentation(StringBuilder b, Mpd mpd, Mpd.Representation r) {
        b.append("      <Representation");
        attr(b, "id", r.id());
        attr(b, "codecs", r.codecs());
        attr(b, "bandwidth", Math.max(1, r.bandwidth()));
        if (r.type() == MediaType.VIDEO) {
            if (r.width() > 0 && r.height() > 0) {
                attr(b, "width", r.width());
                attr(b, "height", r.height());
                b.append(" sar=\"1:1\"");
            }
            if (r.frameRate() > 0) {
                attr(b, "frameRate", frameRate(r.frameRate()));
            }
        } else if (r.sampleRate() > 0) {
            attr(b, "audioSamplingRate", r.sampleRate());
        }
        b.append(">\n");
        if (r.type() == MediaType.AUDIO && r.channels() > 0) {
            b.append("        <AudioChannelConfiguration schemeIdUri=\"urn:mpeg:mpegB:cicp:ChannelConfiguration\"");
            attr(b, "value", r.channels());
            b.append("/>\n");
        }
        b.append("        <SegmentTemplate");
        attr(b, "timescale", r.timescale());
        attr(b, "presentationTimeOffset", r.presentationTimeOffset());
        attr(b, "startNumber", r.startNumber());
        attr(b, "initialization", r.initialization());
        attr(b, "media", r.media());
        attr(b, "availabilityTimeOffset", decimal(mpd.availabilityTimeOffset()));
        b.append(" availabilityTimeComplete=\"false\">\n");
        b.append("          <SegmentTimeline>\n");
        writeTimeline(b, r.timeline());
        b.append("          </SegmentTimeline>\n");
        b.append("        </SegmentTemplate>\n");
        b.append("      </Representation>\n");
    }

    /** S elements: t on the first and wherever the timeline is not contiguous; equal durations folded into r. */
    static void writeTimeline(StringBuilder b, List<Mpd.Entry> entries) {
        int i = 0;
        long expected = Long.MIN_VALUE;
        while (i < entries.size()) {
            Mpd.Entry e = entries.get(i);
            int repeats = 0;
            while (i + repeats + 1 < entries.size()) {
                Mpd.Entry next = entries.get(i + repeats + 1);
                if (next.duration() != e.duration() || next.start() != e.start() + (repeats + 1) * e.duration()) {
                    break;
                }
                repeats++;
            }
            b.append("            <S");
            if (e.start() != expected) {
                attr(b, "t", e.start());
            }
            attr(b, "d", e.duration());
            if (repeats > 0) {
                attr(b, "r", repeats);
            }
            b.append("/>\n");
            expected = e.start() + (repeats + 1) * e.duration();
            i += repeats + 1;
        }
    }

    /** An xs:dateTime in UTC with milliseconds, as the MPD and the server clock (/time) write it. */
    public static String dateTime(long epochMillis) {
        return DATE_TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** An xs:duration in seconds with up to millisecond precision: PT2S, PT1.5S, PT0.04S. */
    static String duration(long millis) {
        return "PT" + decimal(millis / 1000.0) + "S";
    }

    /** A frame rate as the MPD's FrameRateType wants it: an integer, or a ratio (NTSC rates as N/1001). */
    static String frameRate(double fps) {
        long whole = Math.round(fps);
        if (Math.abs(fps - whole) < 0.01) {
            return Long.toString(whole);
        }
        long ntsc = Math.round(fps * 1.001);
        if (Math.abs(fps * 1.001 - ntsc) < 0.01) {
            return ntsc * 1000 + "/1001";
        }
        return Math.round(fps * 1000) + "/1000";
    }

    private static String decimal(double value) {
        String s = String.format(Locale.ROOT, "%.3f", value);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static void attr(StringBuilder b, String name, long value) {
        b.append(' ').append(name).append("=\"").append(value).append('"');
    }

    static void attr(StringBuilder b, String name, String value) {
        b.append(' ').append(name).append("=\"");
        escaped(b, value);
        b.append('"');
    }

    /** XML-escapes text for an attribute value or element content. */
    static void escaped(StringBuilder b, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
    }
}
