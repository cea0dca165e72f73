package io.estuary.server.e2e.support;

import io.estuary.server.e2e.support.MpdValidator.Representation;
import io.estuary.server.e2e.support.MpdValidator.Segment;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * SegmentTemplate + SegmentTimeline checks and segment resolution for {@link MpdValidator}.
 *
 * <ul>
 *   <li>The template in force merges Period, AdaptationSet and Representation levels, the most specific attribute
 *       (and SegmentTimeline) winning (ISO/IEC 23009-1 §5.3.9.1).</li>
 *   <li>Required: timescale, initialization, media with $Number$, startNumber, a SegmentTimeline of S with d &gt; 0
 *       and r &ge; 0 (r = -1, "until the next S", leaves segments implicit: resolution stops there), each S@t at
 *       or after the end
 *       of the previous S (restating t is allowed, going back is an overlap), presentationTimeOffset &le; the
 *       first t.</li>
 *   <li>Low latency (DASH-IF low-latency modes): availabilityTimeOffset &gt; 0 (SegmentTemplate plus BaseURLs, which
 *       add up), finite and at most the longest segment, and availabilityTimeComplete="false".</li>
 *   <li>Number of each segment: startNumber + index (or S@n), URL from the template resolved against the MPD URL
 *       and BaseURLs. Wall-clock start: availabilityStartTime + Period@start + (t - presentationTimeOffset) /
 *       timescale.</li>
 *   <li>Availability: the last segment ends at most its own duration + 1 s after the server time (not announced
 *       absurdly early), and at most the longest segment + 1 s before it (the MPD is not stale); the first does not
 *       start before now - timeShiftBufferDepth - its duration - 1 s; no segment is longer than maxSegmentDuration.
 *       Representations of one AdaptationSet give the same Number the same start (segmentAlignment).</li>
 * </ul>
 */
final class MpdTimeline {

    /** Bound on the segments one Representation may announce, so that a huge S@r cannot exhaust memory. */
    static final int MAX_SEGMENTS = 100_000;

    /** The MPD-level timing the segment checks need; ast and tsbd are null when missing or malformed. */
    /** @param lastPeriod whether the Period being checked is the MPD's last: only its media must reach now */
    record Clock(Instant ast, Double tsbd, Double maxSegmentDuration, Instant now, boolean lastPeriod) {

        Clock forPeriod(boolean last) {
            return new Clock(ast, tsbd, maxSegmentDuration, now, last);
        }
    }

    /** The BaseURL in force at one level, with the availabilityTimeOffset its BaseURLs add up to. */
    record Base(URI uri, double ato, Boolean atc) {
        static Base of(URI mpdUrl) {
            return new Base(mpdUrl, 0, null);
        }
    }

    private MpdTimeline() {
    }

    /** The Base in force inside {@code level}: its first BaseURL (the others are alternatives) over the parent's. */
    static Base base(Base parent, Element level, String ns, String where, List<String> problems) {
        Element b = MpdDom.child(level, ns, "BaseURL");
        if (b == null) {
            return parent;
        }
        URI uri = parent.uri();
        try {
            uri = parent.uri().resolve(b.getTextContent().trim());
        } catch (IllegalArgumentException e) {
            problems.add(where + "/BaseURL: '" + b.getTextContent().trim() + "' is not a URL: " + e.getMessage());
        }
        double ato = parent.ato();
        String atoAttr = MpdDom.attr(b, "availabilityTimeOffset");
        String atcAttr = MpdDom.attr(b, "availabilityTimeComplete");
        try {
            ato += atoAttr == null ? 0 : XsdTypes.dbl(atoAttr);
            return new Base(uri, ato, atcAttr == null ? parent.atc() : Boolean.valueOf(XsdTypes.bool(atcAttr)));
        } catch (IllegalArgumentException e) {
            problems.add(where + "/BaseURL: " + e.getMessage());
            return new Base(uri, ato, parent.atc());
        }
    }

    /** Checks the template in force for one Representation and resolves its segments; null without a template. */
    static Representation resolve(List<String> problems, String where, Clock clock, String ns, List<Element> templates,
                                  Base base, String periodId, double periodStart, String repId, long bandwidth,
                                  String type) {
        String w = where + "/SegmentTemplate";
        if (templates.isEmpty()) {
            problems.add(where + ": no SegmentTemplate (on it, its AdaptationSet or its Period)");
            return null;
        }
        Element[] levels = new Element[templates.size()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = templates.get(levels.length - 1 - i); // most specific first
        }
        Long timescale = unsigned(problems, w, "timescale", true, levels);
        if (timescale != null && timescale == 0) {
            problems.add(w + ": timescale is 0");
            timescale = null;
        }
        Long startNumber = unsigned(problems, w, "startNumber", true, levels);
        Long ptoAttr = unsigned(problems, w, "presentationTimeOffset", false, levels);
        long pto = ptoAttr == null ? 0 : ptoAttr;
        String init = MpdDom.inherited("initialization", levels);
        String media = MpdDom.inherited("media", levels);
        double ato = base.ato();
        Boolean atc = base.atc();
        try {
            String a = MpdDom.inherited("availabilityTimeOffset", levels);
            ato += a == null ? 0 : XsdTypes.dbl(a);
            String c = MpdDom.inherited("availabilityTimeComplete", levels);
            atc = c == null ? atc : Boolean.valueOf(XsdTypes.bool(c));
        } catch (IllegalArgumentException e) {
            problems.add(w + ": " + e.getMessage());
        }
        if (!(ato > 0)) {
            problems.add(w + ": availabilityTimeOffset is " + ato + " s: low latency needs > 0 (a segment announced"
                    + " before it is complete)");
        } else if (Double.isInfinite(ato)) {
            problems.add(w + ": availabilityTimeOffset INF announces segments before they exist");
        }
        if (atc == null || atc) {
            problems.add(w + ": availabilityTimeComplete is " + (atc == null ? "absent (true)" : "true")
                    + ", expected false (segments are delivered while they are produced)");
        }
        URI initUrl = null;
        if (init == null) {
            problems.add(w + ": no @initialization");
        } else {
            initUrl = url(problems, w, base, init, repId, bandwidth, null, null);
        }
        if (media == null) {
            problems.add(w + ": no @media");
        } else if (!MpdTemplate.usesNumber(media)) {
            problems.add(w + ": @media '" + media + "' has no $Number$");
        }
        Element timeline = null;
        for (Element level : levels) {
            timeline = timeline != null ? timeline : MpdDom.child(level, ns, "SegmentTimeline");
        }
        if (timeline == null) {
            problems.add(w + ": no SegmentTimeline");
        }
        List<Segment> segments = new ArrayList<>();
        final double totalAto = ato;
        if (timeline != null && timescale != null && startNumber != null && media != null
                && url(problems, w, base, media, repId, bandwidth, startNumber, 0L) != null) {
            final long ts = timescale;
            walk(problems, w + "/SegmentTimeline", ns, timeline, pto, startNumber, (number, t, d) -> {
                double start = (t - pto) / (double) ts;
                double duration = d / (double) ts;
                Instant wallStart = clock.ast() == null ? null : plus(clock.ast(), periodStart + start);
                Instant wallEnd = wallStart == null ? null : plus(wallStart, duration);
                Instant availableAt = wallEnd == null || Double.isInfinite(totalAto) ? null : plus(wallEnd, -totalAto);
                segments.add(new Segment(periodId, repId, type, number, t, d, ts,
                        url(problems, w, base, media, repId, bandwidth, number, t), start, duration, wallStart,
                        availableAt, wallEnd, wallEnd != null && !wallEnd.isAfter(clock.now())));
            });
            availability(problems, w, clock, segments, totalAto);
        }
        return new Representation(periodId, repId, type, bandwidth, initUrl, List.copyOf(segments));
    }

    private interface SegmentSink {
        void accept(long number, long t, long d);
    }

    private static void walk(List<String> problems, String w, String ns, Element timeline, long pto,
                             long startNumber, SegmentSink sink) {
        List<Element> ss = MpdDom.children(timeline, ns, "S");
        if (ss.isEmpty()) {
            problems.add(w + ": no S");
        }
        long number = startNumber;
        Long previousEnd = null;
        int count = 0;
        for (int i = 0; i < ss.size(); i++) {
            Element s = ss.get(i);
            String sw = w + "/S[" + i + "]";
            Long d = unsigned(problems, sw, "d", true, s);
            if (d == null || d == 0) {
                if (d != null) {
                    problems.add(sw + ": d is 0");
                }
                return; // the rest of the timeline has no defined times
            }
            long r = 0;
            String rAttr = MpdDom.attr(s, "r");
            if (rAttr != null) {
                try {
                    r = Long.parseLong(rAttr.trim());
                } catch (NumberFormatException e) {
                    problems.add(sw + ": r '" + rAttr + "' is not an integer");
                }
                if (r < 0) {
                    problems.add(sw + ": r=" + r + " (repeat until the next S or the Period end) leaves the segments"
                            + " implicit; list them");
                    return; // how many segments it stands for depends on what follows: not resolved
                }
            }
            Long tAttr = unsigned(problems, sw, "t", false, s);
            long t = tAttr != null ? tAttr : previousEnd == null ? 0 : previousEnd;
            if (previousEnd != null && t < previousEnd) {
                problems.add(sw + ": t=" + t + " overlaps the previous S, which ends at " + previousEnd);
            }
            if (i == 0 && pto > t) {
                problems.add(w + ": presentationTimeOffset " + pto + " is after the first S@t " + t
                        + " (the first segment would start before the Period)");
            }
            Long n = unsigned(problems, sw, "n", false, s);
            if (n != null) {
                if (n < number) {
                    problems.add(sw + ": n=" + n + " goes back (expected at least " + number + ")");
                }
                number = n;
            }
            for (long k = 0; k <= r; k++) {
                if (++count > MAX_SEGMENTS) {
                    problems.add(w + ": more than " + MAX_SEGMENTS + " segments");
                    return;
                }
                sink.accept(number++, t + k * d, d);
            }
            previousEnd = t + (r + 1) * d;
        }
    }

    private static void availability(List<String> problems, String w, Clock clock, List<Segment> segments,
                                     double ato) {
        if (segments.isEmpty()) {
            return;
        }
        double longest = segments.stream().mapToDouble(Segment::duration).max().orElse(0);
        if (clock.maxSegmentDuration() != null && longest > clock.maxSegmentDuration() + 0.001) {
            problems.add(w + ": a segment lasts " + fmt(longest) + " s, more than MPD@maxSegmentDuration "
                    + fmt(clock.maxSegmentDuration()) + " s");
        }
        if (ato > longest && !Double.isInfinite(ato)) {
            problems.add(w + ": availabilityTimeOffset " + fmt(ato) + " s exceeds the longest segment (" + fmt(longest)
                    + " s): segments would be announced before they start");
        }
        if (clock.ast() == null) {
            return;
        }
        Segment first = segments.get(0);
        Segment last = segments.get(segments.size() - 1);
        double ahead = seconds(clock.now(), last.completeAt());
        if (ahead > last.duration() + MpdValidator.CLOCK_TOLERANCE) {
            problems.add(w + ": the last segment (" + last.number() + ") ends at " + last.completeAt() + ", "
                    + fmt(ahead) + " s after the server time " + clock.now() + ": announced too early");
        }
        if (clock.lastPeriod() && -ahead > longest + MpdValidator.CLOCK_TOLERANCE) {
            problems.add(w + ": the last segment (" + last.number() + ") ended at " + last.completeAt() + ", "
                    + fmt(-ahead) + " s before the server time " + clock.now() + ": the MPD misses newer segments");
        }
        if (clock.tsbd() != null) {
            double behind = seconds(first.wallClockStart(), clock.now());
            if (behind > clock.tsbd() + first.duration() + MpdValidator.CLOCK_TOLERANCE) {
                problems.add(w + ": the first segment (" + first.number() + ") starts " + fmt(behind)
                        + " s before the server time, outside timeShiftBufferDepth " + fmt(clock.tsbd()) + " s");
            }
        }
    }

    /** Reports Representations of one AdaptationSet whose same-numbered segments start at different times. */
    static void checkAlignment(String where, List<Representation> reps, List<String> problems) {
        if (reps.size() < 2) {
            return;
        }
        Map<Long, Double> reference = new HashMap<>();
        reps.get(0).segments().forEach(s -> reference.put(s.number(), s.start()));
        for (Representation rep : reps.subList(1, reps.size())) {
            for (Segment s : rep.segments()) {
                Double start = reference.get(s.number());
                if (start != null && Math.abs(start - s.start()) > 0.001) {
                    problems.add(where + ": segment " + s.number() + " starts at " + fmt(s.start()) + " s in "
                            + rep.id() + " but " + fmt(start) + " s in " + reps.get(0).id()
                            + " (segmentAlignment)");
                    break;
                }
            }
        }
    }

    private static URI url(List<String> problems, String w, Base base, String template, String repId, long bandwidth,
                           Long number, Long time) {
        try {
            return base.uri().resolve(MpdTemplate.expand(template, repId, bandwidth, number, time));
        } catch (IllegalArgumentException e) {
            String message = w + ": " + e.getMessage();
            if (!problems.contains(message)) {
                problems.add(message);
            }
            return null;
        }
    }

    private static Long unsigned(List<String> problems, String w, String name, boolean required, Element... levels) {
        for (Element level : levels) {
            if (MpdDom.attr(level, name) != null) {
                return MpdChecks.unsigned(level, name, w, true, problems);
            }
        }
        if (required) {
            problems.add(w + ": no @" + name);
        }
        return null;
    }

    private static Instant plus(Instant t, double seconds) {
        return t.plusNanos(Math.round(seconds * 1e9));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static String fmt(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }
}
