package io.estuary.server.e2e.support;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks LL-HLS media playlists against draft-pantos-hls-rfc8216bis (the rules that apply to a live fMP4 playlist
 * with partial segments) and against the project's URL contract. Returns violations as readable strings; an empty
 * list means valid.
 *
 * <p>Rules and where they come from:
 * <ul>
 *   <li>§4.4.1.1: EXTM3U is the first line. §4.4.3: media playlist tags appear at most once, before the first
 *       segment; EXT-X-TARGETDURATION is required; EXT-X-MEDIA-SEQUENCE appears before the first segment.</li>
 *   <li>§4.4.3.1: each EXTINF, rounded to the nearest integer, is at most EXT-X-TARGETDURATION.</li>
 *   <li>§4.4.3.7: PART-TARGET is the maximum duration of any partial segment; every part except the last of its
 *       segment lasts at least 85% of it. There is no rounding allowance for parts (unlike EXTINF), so the only
 *       slack given here is {@link #PRINT_EPSILON}, for durations printed with three decimals.</li>
 *   <li>§4.4.3.8: EXT-X-SERVER-CONTROL; PART-HOLD-BACK is required with parts and MUST be at least twice
 *       PART-TARGET, SHOULD be three times: this project requires three. CAN-SKIP-UNTIL is at least six target
 *       durations. Blocking reload support (CAN-BLOCK-RELOAD=YES) is our contract.</li>
 *   <li>§4.4.4.5: EXT-X-MAP precedes the first segment it applies to (fMP4 needs it); §7: version 6 for MAP in a
 *       media playlist, 9 for EXT-X-SKIP.</li>
 *   <li>§4.4.4.9 / §6.2.2: parts older than three target durations from the end are removed.</li>
 *   <li>§4.4.5.3: EXT-X-PRELOAD-HINT TYPE=PART names the part that follows the last listed one.</li>
 *   <li>§4.4.5.4: EXT-X-RENDITION-REPORT carries LAST-MSN/LAST-PART of the sibling rendition.</li>
 *   <li>CMAF: a segment's bytes are the concatenation of its parts' bytes; a segment's parts add up to its EXTINF.</li>
 *   <li>Our URL contract: {@code {msn}.m4s} and {@code {msn}.{part}.m4s}, so numbering is checkable from names.</li>
 * </ul>
 */
public final class LlHlsValidator {

    /** Part durations are printed with three decimals; a value one rounding step above the target is still valid. */
    public static final double PRINT_EPSILON = 0.0005;
    /** How far a segment's EXTINF may differ from the sum of its parts' (printed) durations. */
    public static final double PART_SUM_TOLERANCE = 0.010;

    private static final Pattern SEGMENT_NAME = Pattern.compile("(?:^|/)(\\d+)\\.m4s(?:\\?.*)?$");
    private static final Pattern PART_NAME = Pattern.compile("(?:^|/)(\\d+)\\.(\\d+)\\.m4s(?:\\?.*)?$");

    private final Http http;
    private final UrlLedger ledger;
    private final boolean estuaryNaming;
    private final Map<String, MediaPlaylist> previousByUrl = new ConcurrentHashMap<>();
    /**
     * While a publisher is live every playlist must hint the next part. Between sessions there is no next part to
     * name (its URL carries the next session's epoch), so the hint may be absent then.
     */
    private volatile boolean publisherLive = true;

    /**
     * @param estuaryNaming check MSN and part numbers against the {@code {msn}.m4s} / {@code {msn}.{part}.m4s}
     *                      URL contract (which is also what makes the preload hint checkable)
     */
    public LlHlsValidator(Http http, UrlLedger ledger, boolean estuaryNaming) {
        this.http = http;
        this.ledger = ledger;
        this.estuaryNaming = estuaryNaming;
    }

    public LlHlsValidator(Http http, UrlLedger ledger) {
        this(http, ledger, true);
    }

    public void setPublisherLive(boolean live) {
        publisherLive = live;
    }

    /** Fetches a media playlist and validates it completely (text, fetches, continuity with earlier fetches). */
    public List<String> validate(URI playlistUri) {
        Http.Response r = http.get(playlistUri);
        if (r.status() != 200) {
            return List.of(playlistUri + ": status " + r.status());
        }
        return validateFetched(playlistUri, r.text());
    }

    /**
     * Validates a playlist already fetched (a blocking or delta request): text rules, every listed URI, parts
     * against segments, rendition reports, and continuity with the previous playlist fetched from the same path.
     */
    public List<String> validateFetched(URI playlistUri, String text) {
        List<String> violations = new ArrayList<>();
        MediaPlaylist p = MediaPlaylist.parse(text);
        for (String v : checkText(p, estuaryNaming, publisherLive)) {
            violations.add(playlistUri + ": " + v);
        }
        for (String v : checkFetches(playlistUri, p)) {
            violations.add(playlistUri + ": " + v);
        }
        for (String v : checkRenditionReports(playlistUri, p)) {
            violations.add(playlistUri + ": " + v);
        }
        String key = withoutQuery(playlistUri).toString();
        synchronized (previousByUrl) {
            MediaPlaylist before = previousByUrl.get(key);
            if (before != null) {
                for (String v : checkContinuity(before, p)) {
                    violations.add(playlistUri + ": " + v);
                }
            }
            MediaPlaylist latest = before == null || p.lastMsn() > before.lastMsn()
                    || (p.lastMsn() == before.lastMsn() && p.lastPart() >= before.lastPart()) ? p : before;
            previousByUrl.put(key, latest);
        }
        return violations;
    }

    /** The rules that need nothing but the playlist text. */
    public static List<String> checkText(String text, boolean estuaryNaming) {
        return checkText(MediaPlaylist.parse(text), estuaryNaming);
    }

    static List<String> checkText(MediaPlaylist p, boolean estuaryNaming) {
        return checkText(p, estuaryNaming, true);
    }

    static List<String> checkText(MediaPlaylist p, boolean estuaryNaming, boolean requireHint) {
        List<String> v = new ArrayList<>(p.problems);
        if (!"#EXTM3U".equals(p.firstLine.strip())) {
            v.add("the first line is not #EXTM3U: " + p.firstLine);
        }
        for (String tag : List.of("EXT-X-VERSION", "EXT-X-TARGETDURATION", "EXT-X-SERVER-CONTROL", "EXT-X-PART-INF",
                "EXT-X-MEDIA-SEQUENCE")) {
            Integer line = p.firstLineOfTag.get(tag);
            if (line == null) {
                v.add("missing " + tag);
            } else if (p.firstSegmentLine >= 0 && line > p.firstSegmentLine) {
                v.add(tag + " (line " + line + ") comes after the first segment (line " + p.firstSegmentLine + ")");
            }
        }
        for (String tag : List.of("EXT-X-VERSION", "EXT-X-TARGETDURATION", "EXT-X-SERVER-CONTROL", "EXT-X-PART-INF",
                "EXT-X-MEDIA-SEQUENCE", "EXT-X-DISCONTINUITY-SEQUENCE", "EXT-X-SKIP", "EXT-X-PRELOAD-HINT",
                "EXT-X-ENDLIST")) {
            if (p.tagCounts.getOrDefault(tag, 0) > 1) {
                v.add(tag + " appears " + p.tagCounts.get(tag) + " times");
            }
        }
        Integer skipLine = p.firstLineOfTag.get("EXT-X-SKIP");
        if (skipLine != null && p.firstSegmentLine >= 0 && skipLine > p.firstSegmentLine) {
            v.add("EXT-X-SKIP (line " + skipLine + ") comes after the first segment");
        }
        if (p.version != null) {
            if (p.firstMapUri != null && p.version < 6) {
                v.add("EXT-X-MAP in a media playlist needs EXT-X-VERSION 6, found " + p.version);
            }
            if (p.skippedSegments != null && p.version < 9) {
                v.add("EXT-X-SKIP needs EXT-X-VERSION 9, found " + p.version);
            }
        }
        if (p.firstMapUri == null) {
            if (p.skippedSegments == null && (!p.segments.isEmpty() || !p.trailingParts.isEmpty())) {
                v.add("no EXT-X-MAP: fMP4 segments need their init section");
            }
        } else if (p.firstSegmentLine >= 0 && p.firstMapLine > p.firstSegmentLine) {
            v.add("EXT-X-MAP (line " + p.firstMapLine + ") comes after the first segment (line " + p.firstSegmentLine + ")");
        }
        double partTarget = p.partTarget == null ? Double.NaN : p.partTarget;
        checkServerControl(p, partTarget, v);
        checkDurations(p, partTarget, v);
        if (estuaryNaming) {
            checkNaming(p, v, requireHint);
        }
        return v;
    }

    private static void checkServerControl(MediaPlaylist p, double partTarget, List<String> v) {
        Map<String, String> sc = p.serverControl;
        if (sc == null) {
            return;
        }
        if (!"YES".equals(sc.get("CAN-BLOCK-RELOAD"))) {
            v.add("EXT-X-SERVER-CONTROL lacks CAN-BLOCK-RELOAD=YES");
        }
        String phb = sc.get("PART-HOLD-BACK");
        if (phb == null) {
            v.add("EXT-X-SERVER-CONTROL lacks PART-HOLD-BACK (required with EXT-X-PART-INF)");
        } else if (!Double.isNaN(partTarget) && Double.parseDouble(phb) + PRINT_EPSILON < 3 * partTarget) {
            v.add("PART-HOLD-BACK=" + phb + " is less than 3 x PART-TARGET (" + partTarget + ")");
        }
        String holdBack = sc.get("HOLD-BACK");
        if (holdBack != null && p.targetDuration != null && Double.parseDouble(holdBack) < 3 * p.targetDuration) {
            v.add("HOLD-BACK=" + holdBack + " is less than 3 x TARGETDURATION");
        }
        String skipUntil = sc.get("CAN-SKIP-UNTIL");
        if (skipUntil != null && p.targetDuration != null && Double.parseDouble(skipUntil) < 6 * p.targetDuration) {
            v.add("CAN-SKIP-UNTIL=" + skipUntil + " is less than 6 x TARGETDURATION");
        }
        if (p.skippedSegments != null && skipUntil == null) {
            v.add("EXT-X-SKIP in a playlist without CAN-SKIP-UNTIL");
        }
    }

    private static void checkDurations(MediaPlaylist p, double partTarget, List<String> v) {
        for (MediaPlaylist.Segment s : p.segments) {
            if (p.targetDuration != null && Math.round(s.duration()) > p.targetDuration) {
                v.add("segment " + s.msn() + " EXTINF " + s.duration() + " rounds above TARGETDURATION "
                        + p.targetDuration);
            }
            if (!s.parts().isEmpty()) {
                double sum = s.parts().stream().mapToDouble(MediaPlaylist.Part::duration).sum();
                if (Math.abs(sum - s.duration()) > PART_SUM_TOLERANCE) {
                    v.add(String.format(java.util.Locale.ROOT,
                            "segment %d: parts add up to %.4f s but EXTINF is %.4f s", s.msn(), sum, s.duration()));
                }
            }
            checkParts(s.msn(), s.parts(), partTarget, v);
        }
        checkParts(p.lastMsn(), p.trailingParts, partTarget, v);
        if (p.targetDuration != null && !p.endList) {
            double fromEnd = p.trailingParts.stream().mapToDouble(MediaPlaylist.Part::duration).sum();
            for (int i = p.segments.size() - 1; i >= 0; i--) {
                MediaPlaylist.Segment s = p.segments.get(i);
                if (!s.parts().isEmpty() && fromEnd > 3 * p.targetDuration + PRINT_EPSILON) {
                    v.add("segment " + s.msn() + " still lists parts " + fromEnd
                            + " s from the end (more than three target durations)");
                }
                fromEnd += s.duration();
            }
        }
    }

    private static void checkParts(long msn, List<MediaPlaylist.Part> parts, double partTarget,
                                   List<String> v) {
        if (Double.isNaN(partTarget)) {
            if (!parts.isEmpty()) {
                v.add("segment " + msn + " lists parts but there is no PART-TARGET");
            }
            return;
        }
        for (int i = 0; i < parts.size(); i++) {
            MediaPlaylist.Part part = parts.get(i);
            if (part.duration() > partTarget + PRINT_EPSILON) {
                v.add("part " + part.uri() + " (line " + part.line() + ") DURATION " + part.duration()
                        + " exceeds PART-TARGET " + partTarget);
            }
            // The last listed part of an unfinished segment may turn out to be its last part: only judge it later.
            boolean lastOfSegment = i == parts.size() - 1;
            if (!lastOfSegment && part.duration() < 0.85 * partTarget - PRINT_EPSILON) {
                v.add("part " + part.uri() + " (line " + part.line() + ") DURATION " + part.duration()
                        + " is under 85% of PART-TARGET " + partTarget + " and is not the last part of segment " + msn);
            }
        }
    }

    private static void checkNaming(MediaPlaylist p, List<String> v, boolean requireHint) {
        for (MediaPlaylist.Segment s : p.segments) {
            Matcher m = SEGMENT_NAME.matcher(s.uri());
            if (!m.find() || Long.parseLong(m.group(1)) != s.msn()) {
                v.add("segment URI " + s.uri() + " does not name MSN " + s.msn() + " (MSN numbering broken)");
            }
            checkPartNames(s.msn(), s.parts(), v);
        }
        checkPartNames(p.lastMsn(), p.trailingParts, v);
        if (p.preloadHintUri == null) {
            if (requireHint) {
                v.add("no EXT-X-PRELOAD-HINT");
            }
        } else {
            if (!"PART".equals(p.preloadHintType)) {
                v.add("EXT-X-PRELOAD-HINT TYPE=" + p.preloadHintType + ", expected PART");
            }
            long expectedMsn;
            long expectedPart;
            if (p.trailingParts.isEmpty()) {
                expectedMsn = p.lastMsn() + 1;
                expectedPart = 0;
            } else {
                expectedMsn = p.lastMsn();
                expectedPart = p.trailingParts.size();
            }
            Matcher m = PART_NAME.matcher(p.preloadHintUri);
            if (!m.find() || Long.parseLong(m.group(1)) != expectedMsn || Long.parseLong(m.group(2)) != expectedPart) {
                v.add("EXT-X-PRELOAD-HINT " + p.preloadHintUri + " is not the part after the last listed one (expected "
                        + expectedMsn + "." + expectedPart + ")");
            } else {
                List<MediaPlaylist.Part> all = p.allParts();
                if (!all.isEmpty() && !directory(all.get(all.size() - 1).uri()).equals(directory(p.preloadHintUri))
                        && !p.trailingParts.isEmpty()) {
                    v.add("EXT-X-PRELOAD-HINT " + p.preloadHintUri + " is not in the directory (epoch) of the last part");
                }
            }
        }
    }

    private static void checkPartNames(long msn, List<MediaPlaylist.Part> parts, List<String> v) {
        for (int i = 0; i < parts.size(); i++) {
            String uri = parts.get(i).uri();
            Matcher m = uri == null ? null : PART_NAME.matcher(uri);
            if (m == null || !m.find()) {
                v.add("part URI " + uri + " does not follow {msn}.{part}.m4s");
            } else if (Long.parseLong(m.group(1)) != msn || Long.parseLong(m.group(2)) != i) {
                v.add("part URI " + uri + " listed as part " + i + " of segment " + msn + " (part numbering broken)");
            }
        }
    }

    private static String directory(String uri) {
        int slash = uri.lastIndexOf('/');
        return slash < 0 ? "" : uri.substring(0, slash);
    }

    /** MSNs only rise, a listed MSN keeps its URI, the discontinuity sequence never falls. */
    static List<String> checkContinuity(MediaPlaylist before, MediaPlaylist now) {
        List<String> v = new ArrayList<>();
        if (before.mediaSequence != null && now.mediaSequence != null && now.mediaSequence < before.mediaSequence) {
            v.add("EXT-X-MEDIA-SEQUENCE went back from " + before.mediaSequence + " to " + now.mediaSequence);
        }
        if (now.discontinuitySequence < before.discontinuitySequence) {
            v.add("EXT-X-DISCONTINUITY-SEQUENCE went back from " + before.discontinuitySequence + " to "
                    + now.discontinuitySequence);
        }
        if (now.lastMsn() < before.lastMsn()) {
            v.add("the last MSN went back from " + before.lastMsn() + " to " + now.lastMsn());
        }
        for (MediaPlaylist.Segment old : before.segments) {
            for (MediaPlaylist.Segment s : now.segments) {
                if (s.msn() == old.msn() && !s.uri().equals(old.uri())) {
                    v.add("MSN " + s.msn() + " was " + old.uri() + " and is now " + s.uri());
                }
            }
        }
        return v;
    }

    private List<String> checkFetches(URI playlistUri, MediaPlaylist p) {
        List<String> v = new ArrayList<>();
        List<String> maps = new ArrayList<>();
        p.segments.forEach(s -> {
            if (s.mapUri() != null && !maps.contains(s.mapUri())) {
                maps.add(s.mapUri());
            }
        });
        if (p.firstMapUri != null && !maps.contains(p.firstMapUri)) {
            maps.add(p.firstMapUri);
        }
        for (String map : maps) {
            fetchMedia(playlistUri.resolve(map), v);
        }
        for (MediaPlaylist.Segment s : p.segments) {
            byte[] segment = fetchMedia(playlistUri.resolve(s.uri()), v);
            if (s.parts().isEmpty() || segment == null) {
                continue;
            }
            boolean fromFirstPart = !estuaryNaming || isPartZero(s.parts().get(0).uri());
            ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
            boolean allFetched = true;
            for (MediaPlaylist.Part part : s.parts()) {
                byte[] bytes = fetchMedia(playlistUri.resolve(part.uri()), v);
                if (bytes == null) {
                    allFetched = false;
                } else {
                    concatenated.writeBytes(bytes);
                }
            }
            if (allFetched && fromFirstPart && !Arrays.equals(concatenated.toByteArray(), segment)) {
                v.add("segment " + s.uri() + " (" + segment.length + " bytes) is not the concatenation of its "
                        + s.parts().size() + " parts (" + concatenated.size() + " bytes)");
            }
        }
        for (MediaPlaylist.Part part : p.trailingParts) {
            fetchMedia(playlistUri.resolve(part.uri()), v);
        }
        return v;
    }

    private static boolean isPartZero(String uri) {
        Matcher m = PART_NAME.matcher(uri);
        return m.find() && Long.parseLong(m.group(2)) == 0;
    }

    private byte[] fetchMedia(URI uri, List<String> v) {
        Http.Response r = http.get(uri);
        if (r.status() != 200) {
            v.add("GET " + uri + " answered " + r.status());
            return null;
        }
        if (ledger != null) {
            String changed = ledger.record(uri.toString(), r.body());
            if (changed != null) {
                v.add(changed);
            }
        }
        return r.body();
    }

    private List<String> checkRenditionReports(URI playlistUri, MediaPlaylist p) {
        List<String> v = new ArrayList<>();
        for (MediaPlaylist.RenditionReport report : p.renditionReports) {
            if (report.uri() == null) {
                v.add("EXT-X-RENDITION-REPORT without URI");
                continue;
            }
            if (report.lastMsn() == null || report.lastPart() == null) {
                v.add("EXT-X-RENDITION-REPORT " + report.uri() + " lacks LAST-MSN or LAST-PART");
                continue;
            }
            URI sibling = playlistUri.resolve(report.uri());
            Http.Response r = http.get(sibling);
            if (r.status() != 200) {
                v.add("rendition report " + sibling + " answered " + r.status());
                continue;
            }
            MediaPlaylist s = MediaPlaylist.parse(r.text());
            v.addAll(compareReport(report, s));
        }
        return v;
    }

    /**
     * A report is consistent with the sibling fetched after it if it is not ahead of the sibling and at most one
     * segment behind (the sibling may have moved on between the two requests).
     */
    static List<String> compareReport(MediaPlaylist.RenditionReport report, MediaPlaylist sibling) {
        long msn = sibling.lastMsn();
        long part = sibling.lastPart();
        String where = "EXT-X-RENDITION-REPORT " + report.uri() + " LAST-MSN=" + report.lastMsn() + ",LAST-PART="
                + report.lastPart() + " vs sibling's last " + msn + "." + part;
        if (report.lastMsn() > msn || (report.lastMsn() == msn && report.lastPart() > part)) {
            return List.of(where + ": the report is ahead of the playlist it reports on");
        }
        if (report.lastMsn() < msn - 1) {
            return List.of(where + ": the report is more than a segment behind");
        }
        return List.of();
    }

    /** Validates a multivariant playlist and every media playlist it names. */
    public List<String> validateMultivariant(URI multivariantUri) {
        List<String> v = new ArrayList<>();
        Http.Response r = http.get(multivariantUri);
        if (r.status() != 200) {
            return List.of(multivariantUri + ": status " + r.status());
        }
        List<URI> media = mediaPlaylists(multivariantUri, r.text(), v);
        for (URI uri : media) {
            v.addAll(validate(uri));
        }
        return v;
    }

    /** The media playlists a multivariant playlist names (STREAM-INF URIs and EXT-X-MEDIA URI attributes). */
    public static List<URI> mediaPlaylists(URI multivariantUri, String text, List<String> violations) {
        List<URI> out = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || !"#EXTM3U".equals(lines[0].strip())) {
            violations.add(multivariantUri + ": the first line is not #EXTM3U");
        }
        boolean expectUri = false;
        int variants = 0;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#EXT-X-STREAM-INF:")) {
                expectUri = true;
                variants++;
                if (!MediaPlaylist.attributes(line.substring(line.indexOf(':') + 1)).containsKey("BANDWIDTH")) {
                    violations.add(multivariantUri + ": EXT-X-STREAM-INF without BANDWIDTH: " + line);
                }
            } else if (line.startsWith("#EXT-X-MEDIA:")) {
                String uri = MediaPlaylist.attributes(line.substring(line.indexOf(':') + 1)).get("URI");
                if (uri != null) {
                    out.add(multivariantUri.resolve(uri));
                }
            } else if (!line.isEmpty() && !line.startsWith("#") && expectUri) {
                out.add(multivariantUri.resolve(line));
                expectUri = false;
            }
        }
        if (variants == 0) {
            violations.add(multivariantUri + ": no EXT-X-STREAM-INF");
        }
        return out.stream().distinct().toList();
    }

    private static URI withoutQuery(URI uri) {
        String s = uri.toString();
        int q = s.indexOf('?');
        return URI.create(q < 0 ? s : s.substring(0, q));
    }
}
