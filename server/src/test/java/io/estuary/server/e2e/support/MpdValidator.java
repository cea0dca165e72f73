package io.estuary.server.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * Checks a live (dynamic) low-latency MPD against ISO/IEC 23009-1 and the DASH-IF IOP / low-latency guidelines,
 * resolves every segment it announces, and reports problems as readable strings (an empty list means valid).
 *
 * <p>What is checked, beyond well-formed XML in namespace {@value #NS}:
 * <ul>
 *   <li>MPD: type dynamic; profiles, availabilityStartTime, publishTime, minimumUpdatePeriod, timeShiftBufferDepth,
 *       suggestedPresentationDelay, minBufferTime present and of their xs: types; availabilityStartTime &le;
 *       publishTime &le; server time + {@value #CLOCK_TOLERANCE} s; children in schema order.</li>
 *   <li>UTCTiming: at least one http-xsdate or http-iso source with an absolute http(s) URL.</li>
 *   <li>ServiceDescription (MPD or Period): Latency@target with min &le; target &le; max (ms), PlaybackRate with
 *       min &le; 1 &le; max. A Scope other than DVB's makes dash.js ignore it, so that is reported too.</li>
 *   <li>Period: unique id, start, starts increasing. AdaptationSet: contentType or mimeType (video, audio),
 *       segmentAlignment true, Representations. Representation: id (no white space, unique in its Period),
 *       bandwidth &gt; 0, codecs and mimeType (inherited from the AdaptationSet or not); video width, height,
 *       frameRate; audio audioSamplingRate.</li>
 *   <li>SegmentTemplate and SegmentTimeline, segment URLs and availability: see {@link MpdTimeline}.</li>
 * </ul>
 */
public final class MpdValidator {

    public static final String NS = "urn:mpeg:dash:schema:mpd:2011";
    public static final Set<String> HTTP_UTC_SCHEMES =
            Set.of("urn:mpeg:dash:utc:http-xsdate:2014", "urn:mpeg:dash:utc:http-iso:2014");
    /** The only ServiceDescription Scope dash.js 5 applies (besides no Scope at all). */
    public static final String DVB_LL_SCOPE = "urn:dvb:dash:lowlatency:scope:2019";
    /** Seconds of clock difference tolerated between the MPD's times and the server time. */
    public static final double CLOCK_TOLERANCE = 1.0;

    /**
     * One announced segment. {@code start} is period-relative ((t - presentationTimeOffset) / timescale), the
     * wall-clock times are availabilityStartTime + Period@start + start (null when availabilityStartTime is
     * unusable). {@code availableAt} is when a chunked GET may start (end minus availabilityTimeOffset; null for
     * INF), {@code completeAt} when the segment is whole (its end), {@code complete} whether that is at or before
     * the server time the MPD was checked against.
     */
    public record Segment(String periodId, String representationId, String contentType, long number, long time,
                          long durationTicks, long timescale, URI url, double start, double duration,
                          Instant wallClockStart, Instant availableAt, Instant completeAt, boolean complete) {
    }

    /** One Representation: its resolved initialization URL (null if the template was unusable) and segments. */
    public record Representation(String periodId, String id, String contentType, long bandwidth, URI initialization,
                                 List<Segment> segments) {
    }

    /** The problems found, everything resolved, and the UTCTiming URLs (for {@link #fetchAll}). */
    public record Result(URI mpdUrl, Instant now, List<String> problems, List<Representation> representations,
                         List<URI> timingUrls) {

        public boolean ok() {
            return problems.isEmpty();
        }

        public List<Segment> segments() {
            return representations.stream().flatMap(r -> r.segments().stream()).toList();
        }

        public List<Segment> completeSegments() {
            return segments().stream().filter(Segment::complete).toList();
        }

        /**
         * GETs every UTCTiming URL, every initialization segment and every complete segment, as a player on another
         * origin would (with an Origin header), and returns what went wrong: non-200 answers, missing CORS header,
         * bodies that do not start with the expected ISO BMFF box. Segments at the start of the time-shift window
         * may have been removed by the time they are fetched; {@link #fetchAll(HttpClient, int)} limits the fetch
         * to the newest ones.
         */
        public List<String> fetchAll(HttpClient client) {
            return MpdFetcher.fetchAll(client, this, Integer.MAX_VALUE);
        }

        /** As {@link #fetchAll(HttpClient)}, with at most the newest {@code perRepresentation} complete segments. */
        public List<String> fetchAll(HttpClient client, int perRepresentation) {
            return MpdFetcher.fetchAll(client, this, perRepresentation);
        }

        @Override
        public String toString() {
            return "MPD " + mpdUrl + " at " + now + ": " + (problems.isEmpty() ? "valid" : String.join("\n  ", problems));
        }
    }

    private final URI mpdUrl;
    private final Instant now;
    private final List<String> problems = new ArrayList<>();
    private final List<Representation> representations = new ArrayList<>();
    private final List<URI> timingUrls = new ArrayList<>();
    private String ns;

    private MpdValidator(URI mpdUrl, Instant now) {
        this.mpdUrl = mpdUrl;
        this.now = now;
    }

    /** Checks {@code mpdText}, fetched from {@code mpdUrl} (the base of relative URLs), at server time {@code now}. */
    public static Result validate(String mpdText, URI mpdUrl, Instant now) {
        return new MpdValidator(mpdUrl, now).run(mpdText);
    }

    /** The server's clock: GETs {@code timeUrl} (an http-xsdate source) and parses its body; fails if it cannot. */
    public static Instant serverTime(HttpClient client, URI timeUrl) {
        return MpdFetcher.serverTime(client, timeUrl);
    }

    private Result run(String text) {
        Document doc;
        try {
            doc = MpdDom.parse(text);
        } catch (IOException | SAXException e) {
            problems.add("MPD: not well-formed XML: " + e.getMessage());
            return result();
        }
        Element mpd = doc.getDocumentElement();
        ns = mpd.getNamespaceURI();
        if (!"MPD".equals(mpd.getLocalName()) || !NS.equals(ns)) {
            problems.add("MPD: root element is {" + ns + "}" + mpd.getLocalName() + ", expected MPD in namespace " + NS);
            if (!"MPD".equals(mpd.getLocalName())) {
                return result();
            }
        }
        MpdDom.checkOrder(mpd, ns, "MPD", problems);
        MpdTimeline.Clock clock = root(mpd);
        timingUrls.addAll(MpdChecks.utcTiming(mpd, ns, problems));
        boolean serviceDescribed = false;
        for (Element sd : MpdDom.children(mpd, ns, "ServiceDescription")) {
            MpdChecks.serviceDescription(sd, ns, "MPD/ServiceDescription", problems);
            serviceDescribed = true;
        }
        MpdTimeline.Base mpdBase = MpdTimeline.base(MpdTimeline.Base.of(mpdUrl), mpd, ns, "MPD", problems);
        List<Element> periods = MpdDom.children(mpd, ns, "Period");
        if (periods.isEmpty()) {
            problems.add("MPD: no Period");
        }
        Set<String> ids = new HashSet<>();
        Double previousStart = null;
        for (int i = 0; i < periods.size(); i++) {
            Element period = periods.get(i);
            String id = MpdDom.attr(period, "id");
            String where = "Period[" + (id != null ? id : "#" + i) + "]";
            if (id == null) {
                problems.add(where + ": no id (a dynamic MPD needs one: players match Periods across updates by id)");
            } else if (!ids.add(id)) {
                problems.add(where + ": id used by an earlier Period");
            }
            double start = 0;
            Double parsed = duration(period, "start", where, true);
            if (parsed != null) {
                start = parsed;
                if (previousStart != null && start <= previousStart) {
                    problems.add(where + ": start " + start + " s is not after the previous Period's " + previousStart + " s");
                }
                previousStart = start;
            }
            MpdDom.checkOrder(period, ns, where, problems);
            for (Element sd : MpdDom.children(period, ns, "ServiceDescription")) {
                MpdChecks.serviceDescription(sd, ns, where + "/ServiceDescription", problems);
                serviceDescribed = true;
            }
            // An earlier Period ended when its session did: only the last one's media must reach the present.
            adaptationSets(period, where, id == null ? "#" + i : id, start, clock.forPeriod(i == periods.size() - 1),
                    MpdTimeline.base(mpdBase, period, ns, where, problems));
        }
        if (!serviceDescribed) {
            problems.add("MPD: no ServiceDescription (its Latency@target is the latency low-latency players aim for)");
        }
        return result();
    }

    private MpdTimeline.Clock root(Element mpd) {
        String type = MpdDom.attr(mpd, "type");
        if (!"dynamic".equals(type)) {
            problems.add("MPD: type is " + (type == null ? "absent (static)" : type) + ", expected dynamic");
        }
        for (String name : List.of("profiles", "availabilityStartTime", "publishTime", "minimumUpdatePeriod",
                "timeShiftBufferDepth", "suggestedPresentationDelay", "minBufferTime")) {
            if (MpdDom.attr(mpd, name) == null) {
                problems.add("MPD: no @" + name);
            }
        }
        Instant ast = dateTime(mpd, "availabilityStartTime");
        Instant publish = dateTime(mpd, "publishTime");
        duration(mpd, "minimumUpdatePeriod", "MPD", false);
        duration(mpd, "suggestedPresentationDelay", "MPD", false);
        duration(mpd, "minBufferTime", "MPD", false);
        Double tsbd = duration(mpd, "timeShiftBufferDepth", "MPD", false);
        if (tsbd != null && tsbd <= 0) {
            problems.add("MPD: timeShiftBufferDepth " + tsbd + " s leaves no segment available");
        }
        Double maxSegment = duration(mpd, "maxSegmentDuration", "MPD", false);
        if (ast != null && publish != null && publish.isBefore(ast)) {
            problems.add("MPD: publishTime " + publish + " is before availabilityStartTime " + ast);
        }
        if (publish != null && publish.isAfter(now.plusMillis((long) (CLOCK_TOLERANCE * 1000)))) {
            problems.add("MPD: publishTime " + publish + " is " + Duration.between(now, publish).toMillis()
                    + " ms after the server time " + now);
        }
        return new MpdTimeline.Clock(ast, tsbd, maxSegment, now, true);
    }

    private void adaptationSets(Element period, String where, String periodId, double periodStart,
                                MpdTimeline.Clock clock, MpdTimeline.Base periodBase) {
        List<Element> sets = MpdDom.children(period, ns, "AdaptationSet");
        if (sets.isEmpty()) {
            problems.add(where + ": no AdaptationSet");
        }
        Set<String> setIds = new HashSet<>();
        Set<String> repIds = new HashSet<>();
        for (int i = 0; i < sets.size(); i++) {
            Element as = sets.get(i);
            String asId = MpdDom.attr(as, "id");
            String asWhere = where + "/AdaptationSet[" + (asId != null ? asId : "#" + i) + "]";
            if (asId != null && !setIds.add(asId)) {
                problems.add(asWhere + ": id used by an earlier AdaptationSet of the Period");
            }
            MpdDom.checkOrder(as, ns, asWhere, problems);
            checkTemplateOrder(as, asWhere);
            String type = MpdChecks.adaptationSetType(as, asWhere, problems);
            String alignment = MpdDom.attr(as, "segmentAlignment");
            if (!"true".equals(alignment)) {
                problems.add(asWhere + ": segmentAlignment is " + (alignment == null ? "absent (false)" : alignment)
                        + ", expected true");
            }
            List<Element> reps = MpdDom.children(as, ns, "Representation");
            if (reps.isEmpty()) {
                problems.add(asWhere + ": no Representation");
            }
            MpdTimeline.Base asBase = MpdTimeline.base(periodBase, as, ns, asWhere, problems);
            List<Representation> resolved = new ArrayList<>();
            for (int j = 0; j < reps.size(); j++) {
                Element rep = reps.get(j);
                String id = MpdDom.attr(rep, "id");
                String repWhere = asWhere + "/Representation[" + (id != null ? id : "#" + j) + "]";
                MpdDom.checkOrder(rep, ns, repWhere, problems);
                checkTemplateOrder(rep, repWhere);
                if (id != null && !repIds.add(id)) {
                    problems.add(repWhere + ": id used by another Representation of the Period");
                }
                long bandwidth = MpdChecks.representation(rep, as, type, repWhere, problems);
                List<Element> templates = new ArrayList<>();
                for (Element level : new Element[] {period, as, rep}) {
                    Element t = MpdDom.child(level, ns, "SegmentTemplate");
                    if (t != null) {
                        templates.add(t);
                    }
                }
                Representation r = MpdTimeline.resolve(problems, repWhere, clock, ns, templates,
                        MpdTimeline.base(asBase, rep, ns, repWhere, problems), periodId, periodStart,
                        id == null ? "#" + j : id, bandwidth, type);
                if (r != null) {
                    resolved.add(r);
                    representations.add(r);
                }
            }
            MpdTimeline.checkAlignment(asWhere, resolved, problems);
        }
        checkTemplateOrder(period, where);
    }

    private void checkTemplateOrder(Element level, String where) {
        Element template = MpdDom.child(level, ns, "SegmentTemplate");
        if (template != null) {
            MpdDom.checkOrder(template, ns, where + "/SegmentTemplate", problems);
        }
    }

    private Result result() {
        return new Result(mpdUrl, now, List.copyOf(problems), List.copyOf(representations), List.copyOf(timingUrls));
    }

    private Instant dateTime(Element e, String name) {
        return MpdChecks.attribute(e, name, "MPD", false, problems, XsdTypes::dateTime);
    }

    private Double duration(Element e, String name, String where, boolean required) {
        Double seconds = MpdChecks.attribute(e, name, where, required, problems, XsdTypes::durationSeconds);
        if (seconds != null && seconds < 0) {
            problems.add(where + ": @" + name + " " + MpdDom.attr(e, name) + " is negative");
        }
        return seconds;
    }

    private Long unsigned(Element e, String name, String where, boolean required) {
        return MpdChecks.unsigned(e, name, where, required, problems);
    }
}
