package io.estuary.server.e2e.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lenient parse of an LL-HLS media playlist: it records what the text says, including the order of tags and
 * anything malformed, and leaves judging to {@link LlHlsValidator}.
 */
public final class MediaPlaylist {

    /** A partial segment as listed by EXT-X-PART. */
    public record Part(String uri, double duration, boolean independent, int line) {
    }

    /** A media segment (EXTINF + URI) with the parts listed before it; {@code msn} counts from MEDIA-SEQUENCE. */
    public record Segment(long msn, String uri, double duration, List<Part> parts, boolean discontinuity,
                          String mapUri, int line) {
    }

    /** EXT-X-RENDITION-REPORT. */
    public record RenditionReport(String uri, Long lastMsn, Long lastPart) {
    }

    final List<String> problems = new ArrayList<>();
    final Map<String, Integer> firstLineOfTag = new LinkedHashMap<>();
    final Map<String, Integer> tagCounts = new LinkedHashMap<>();
    String firstLine;
    Integer version;
    Long targetDuration;
    Map<String, String> serverControl;
    Double partTarget;
    Long mediaSequence;
    long discontinuitySequence;
    Integer skippedSegments;
    String firstMapUri;
    int firstMapLine = -1;
    int firstSegmentLine = -1;
    final List<Segment> segments = new ArrayList<>();
    final List<Part> trailingParts = new ArrayList<>();
    String preloadHintUri;
    String preloadHintType;
    final List<RenditionReport> renditionReports = new ArrayList<>();
    boolean endList;

    private MediaPlaylist() {
    }

    public static MediaPlaylist parse(String text) {
        MediaPlaylist p = new MediaPlaylist();
        String[] lines = text.split("\r?\n", -1);
        p.firstLine = lines.length > 0 ? lines[0] : "";
        List<Part> pendingParts = new ArrayList<>();
        boolean pendingDiscontinuity = false;
        String currentMap = null;
        Double pendingExtinf = null;
        int pendingExtinfLine = -1;
        long nextMsn = -1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int lineNo = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("#")) {
                if (pendingExtinf == null) {
                    p.problems.add("line " + lineNo + ": URI without EXTINF: " + line);
                    continue;
                }
                if (nextMsn < 0) {
                    nextMsn = (p.mediaSequence == null ? 0 : p.mediaSequence)
                            + (p.skippedSegments == null ? 0 : p.skippedSegments);
                }
                p.segments.add(new Segment(nextMsn++, line, pendingExtinf, List.copyOf(pendingParts),
                        pendingDiscontinuity, currentMap, pendingExtinfLine));
                pendingParts.clear();
                pendingDiscontinuity = false;
                pendingExtinf = null;
                continue;
            }
            if (!line.startsWith("#EXT")) {
                continue; // a comment
            }
            int colon = line.indexOf(':');
            String tag = colon < 0 ? line.substring(1) : line.substring(1, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            p.firstLineOfTag.putIfAbsent(tag, lineNo);
            p.tagCounts.merge(tag, 1, Integer::sum);
            try {
                switch (tag) {
                    case "EXT-X-VERSION" -> p.version = Integer.parseInt(value.trim());
                    case "EXT-X-TARGETDURATION" -> p.targetDuration = Long.parseLong(value.trim());
                    case "EXT-X-SERVER-CONTROL" -> p.serverControl = attributes(value);
                    case "EXT-X-PART-INF" -> p.partTarget = Double.valueOf(attributes(value).get("PART-TARGET"));
                    case "EXT-X-MEDIA-SEQUENCE" -> p.mediaSequence = Long.parseLong(value.trim());
                    case "EXT-X-DISCONTINUITY-SEQUENCE" -> p.discontinuitySequence = Long.parseLong(value.trim());
                    case "EXT-X-SKIP" -> p.skippedSegments = Integer.valueOf(attributes(value).get("SKIPPED-SEGMENTS"));
                    case "EXT-X-MAP" -> {
                        currentMap = attributes(value).get("URI");
                        if (p.firstMapUri == null) {
                            p.firstMapUri = currentMap;
                            p.firstMapLine = lineNo;
                        }
                    }
                    case "EXT-X-DISCONTINUITY" -> pendingDiscontinuity = true;
                    case "EXT-X-PART" -> {
                        markFirstSegmentLine(p, lineNo);
                        Map<String, String> a = attributes(value);
                        pendingParts.add(new Part(a.get("URI"), Double.parseDouble(a.get("DURATION")),
                                "YES".equals(a.get("INDEPENDENT")), lineNo));
                    }
                    case "EXTINF" -> {
                        markFirstSegmentLine(p, lineNo);
                        String d = value.contains(",") ? value.substring(0, value.indexOf(',')) : value;
                        pendingExtinf = Double.parseDouble(d.trim());
                        pendingExtinfLine = lineNo;
                    }
                    case "EXT-X-PRELOAD-HINT" -> {
                        Map<String, String> a = attributes(value);
                        p.preloadHintType = a.get("TYPE");
                        p.preloadHintUri = a.get("URI");
                    }
                    case "EXT-X-RENDITION-REPORT" -> {
                        Map<String, String> a = attributes(value);
                        p.renditionReports.add(new RenditionReport(a.get("URI"),
                                a.containsKey("LAST-MSN") ? Long.valueOf(a.get("LAST-MSN")) : null,
                                a.containsKey("LAST-PART") ? Long.valueOf(a.get("LAST-PART")) : null));
                    }
                    case "EXT-X-ENDLIST" -> p.endList = true;
                    default -> {
                        // other tags (PROGRAM-DATE-TIME, INDEPENDENT-SEGMENTS, ...) are not judged here
                    }
                }
            } catch (RuntimeException e) {
                p.problems.add("line " + lineNo + ": malformed " + tag + ": " + line + " (" + e + ")");
            }
        }
        if (pendingExtinf != null) {
            p.problems.add("line " + pendingExtinfLine + ": EXTINF without a URI");
        }
        p.trailingParts.addAll(pendingParts);
        return p;
    }

    private static void markFirstSegmentLine(MediaPlaylist p, int lineNo) {
        if (p.firstSegmentLine < 0) {
            p.firstSegmentLine = lineNo;
        }
    }

    /** Parses an attribute list: {@code KEY=VALUE,KEY="quoted, with commas"}. */
    public static Map<String, String> attributes(String list) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = list.length();
        while (i < n) {
            int eq = list.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = list.substring(i, eq).trim();
            int j = eq + 1;
            String value;
            if (j < n && list.charAt(j) == '"') {
                int close = list.indexOf('"', j + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated quoted string in " + list);
                }
                value = list.substring(j + 1, close);
                j = close + 1;
            } else {
                int comma = list.indexOf(',', j);
                int end = comma < 0 ? n : comma;
                value = list.substring(j, end).trim();
                j = end;
            }
            out.put(key, value);
            int comma = list.indexOf(',', j);
            i = comma < 0 ? n : comma + 1;
        }
        return out;
    }

    public List<Segment> segments() {
        return Collections.unmodifiableList(segments);
    }

    public List<Part> trailingParts() {
        return Collections.unmodifiableList(trailingParts);
    }

    public Long mediaSequence() {
        return mediaSequence;
    }

    public Integer skippedSegments() {
        return skippedSegments;
    }

    public Double partTarget() {
        return partTarget;
    }

    public Long targetDuration() {
        return targetDuration;
    }

    public String preloadHintUri() {
        return preloadHintUri;
    }

    public List<RenditionReport> renditionReports() {
        return Collections.unmodifiableList(renditionReports);
    }

    public long discontinuitySequence() {
        return discontinuitySequence;
    }

    public String firstMapUri() {
        return firstMapUri;
    }

    /** MSN of the last segment or partial segment listed (the one the newest part belongs to). */
    public long lastMsn() {
        long lastComplete = segments.isEmpty()
                ? (mediaSequence == null ? 0 : mediaSequence) + (skippedSegments == null ? 0 : skippedSegments) - 1
                : segments.get(segments.size() - 1).msn();
        return trailingParts.isEmpty() ? lastComplete : lastComplete + 1;
    }

    /** Index of the newest listed part within {@link #lastMsn()}, or -1 if that segment lists no parts. */
    public long lastPart() {
        if (!trailingParts.isEmpty()) {
            return trailingParts.size() - 1;
        }
        return segments.isEmpty() ? -1 : segments.get(segments.size() - 1).parts().size() - 1;
    }

    /** Every EXT-X-PART listed, in order. */
    public List<Part> allParts() {
        List<Part> all = new ArrayList<>();
        segments.forEach(s -> all.addAll(s.parts()));
        all.addAll(trailingParts);
        return all;
    }

    /** {@code {msn, part}} of a part URI named {@code .../{msn}.{part}.m4s}, or null. */
    public static long[] msnAndPart(String uri) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)\\.m4s(?:\\?.*)?$").matcher(uri);
        return m.find() ? new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))} : null;
    }

    /** True if a part with this URI is listed (as a part of a segment or a trailing part). */
    public boolean listsPart(String uri) {
        return allParts().stream().anyMatch(p -> uri.equals(p.uri()));
    }

    public String preloadHintType() {
        return preloadHintType;
    }

    public boolean hasDiscontinuity() {
        return segments.stream().anyMatch(Segment::discontinuity);
    }
}
