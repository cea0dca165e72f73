package io.estuary.server.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.estuary.server.e2e.support.MpdValidator.Result;
import io.estuary.server.e2e.support.MpdValidator.Segment;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MpdValidator against a handcrafted valid LL-DASH MPD, and against mutations of it that each break one rule: every
 * mutation must be caught, and only by the check it targets (all problems mention the expected fragment).
 */
class MpdValidatorTest {

    static final URI MPD_URL = URI.create("http://127.0.0.1:8080/live/test/manifest.mpd");
    /** 60.5 s after availabilityStartTime: the timelines below cover 30 s to 60 s. */
    static final Instant NOW = Instant.parse("2026-11-24T10:01:00.500Z");

    /** Video: template on the AdaptationSet, 15 x 2 s from 30 s. Audio: template on the Representation, likewise. */
    static final String GOOD = """
            <?xml version="1.0" encoding="UTF-8"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" \
            type="dynamic" availabilityStartTime="2026-11-24T10:00:00Z" publishTime="2026-11-24T10:01:00.400Z" \
            minimumUpdatePeriod="PT2S" timeShiftBufferDepth="PT30S" suggestedPresentationDelay="PT3S" \
            minBufferTime="PT1S" maxSegmentDuration="PT2S">
              <ServiceDescription id="0">
                <Latency target="3000" min="2000" max="6000"/>
                <PlaybackRate min="0.96" max="1.04"/>
              </ServiceDescription>
              <Period id="p0" start="PT0S">
                <AdaptationSet id="0" contentType="video" mimeType="video/mp4" segmentAlignment="true">
                  <SegmentTemplate timescale="90000" initialization="$RepresentationID$/init.mp4" \
            media="$RepresentationID$/$Number%05d$.m4s" availabilityTimeComplete="false" \
            availabilityTimeOffset="1.8" startNumber="16">
                    <SegmentTimeline><S t="2700000" d="180000" r="14"/></SegmentTimeline>
                  </SegmentTemplate>
                  <Representation id="video" bandwidth="2500000" codecs="avc1.64001f" width="1280" height="720" \
            frameRate="30"/>
                </AdaptationSet>
                <AdaptationSet id="1" contentType="audio" mimeType="audio/mp4" segmentAlignment="true">
                  <Representation id="audio" bandwidth="128000" codecs="mp4a.40.2" audioSamplingRate="48000">
                    <AudioChannelConfiguration schemeIdUri="urn:mpeg:mpegB:cicp:ChannelConfiguration" value="2"/>
                    <SegmentTemplate timescale="48000" presentationTimeOffset="0" initialization="audio/init.mp4" \
            media="audio/$Number$.m4s" startNumber="16" availabilityTimeOffset="1.8" availabilityTimeComplete="false">
                      <SegmentTimeline><S t="1440000" d="96000" r="13"/><S d="96000"/></SegmentTimeline>
                    </SegmentTemplate>
                  </Representation>
                </AdaptationSet>
              </Period>
              <UTCTiming schemeIdUri="urn:mpeg:dash:utc:http-xsdate:2014" value="http://127.0.0.1:8080/time"/>
            </MPD>
            """;

    @Test
    void goodMpdIsValidAndResolved() {
        Result r = MpdValidator.validate(GOOD, MPD_URL, NOW);
        assertTrue(r.ok(), r.toString());
        assertEquals(List.of(URI.create("http://127.0.0.1:8080/time")), r.timingUrls());
        assertEquals(2, r.representations().size());
        assertEquals(URI.create("http://127.0.0.1:8080/live/test/video/init.mp4"), r.representations().get(0).initialization());
        List<Segment> video = r.representations().get(0).segments();
        assertEquals(15, video.size());
        Segment first = video.get(0);
        assertEquals(16, first.number());
        assertEquals(URI.create("http://127.0.0.1:8080/live/test/video/00016.m4s"), first.url());
        assertEquals(30.0, first.start(), 1e-9);
        assertEquals(2.0, first.duration(), 1e-9);
        assertEquals(Instant.parse("2026-11-24T10:00:30Z"), first.wallClockStart());
        assertEquals(Instant.parse("2026-11-24T10:00:30.200Z"), first.availableAt()); // end 32 s - ATO 1.8 s
        assertEquals(Instant.parse("2026-11-24T10:00:32Z"), first.completeAt());
        Segment lastAudio = r.representations().get(1).segments().get(14);
        assertEquals(30, lastAudio.number());
        assertEquals(URI.create("http://127.0.0.1:8080/live/test/audio/30.m4s"), lastAudio.url());
        assertEquals(2784000, lastAudio.time());
        assertEquals(30, r.completeSegments().size());
    }

    @Test
    void segmentsEndingAfterNowAreIncomplete() {
        Result r = MpdValidator.validate(GOOD, MPD_URL, Instant.parse("2026-11-24T10:00:59.500Z"));
        assertTrue(r.ok(), r.toString());
        assertEquals(28, r.completeSegments().size());
        assertFalse(r.representations().get(0).segments().get(14).complete());
    }

    @Test
    void acceptedVariations() {
        // BaseURLs resolve in order; attributes inherit from the AdaptationSet; S@t may restate a gap; S@n renumbers
        String mpd = GOOD.replace("<Period id=\"p0\" start=\"PT0S\">", "<Period id=\"p0\" start=\"PT0S\"><BaseURL>b/</BaseURL>")
                .replace("<ServiceDescription id=\"0\">", "<BaseURL>https://cdn.example/a/</BaseURL><ServiceDescription id=\"0\">")
                .replace("<S d=\"96000\"/>", "<S t=\"2880000\" n=\"40\" d=\"96000\"/>")
                .replace("contentType=\"video\" mimeType=\"video/mp4\"", "contentType=\"video\" mimeType=\"video/mp4\" codecs=\"avc1.64001f\"")
                .replace("bandwidth=\"2500000\" codecs=\"avc1.64001f\"", "bandwidth=\"2500000\"");
        Result r = MpdValidator.validate(mpd, MPD_URL, NOW);
        assertTrue(r.ok(), r.toString());
        Segment last = r.representations().get(1).segments().get(14);
        assertEquals(40, last.number());
        assertEquals(URI.create("https://cdn.example/a/b/audio/40.m4s"), last.url());
    }

    @ParameterizedTest
    @ValueSource(strings = {"profiles", "availabilityStartTime", "publishTime", "minimumUpdatePeriod",
            "timeShiftBufferDepth", "suggestedPresentationDelay", "minBufferTime"})
    void requiredMpdAttributes(String name) {
        String mpd = GOOD.replaceFirst(" " + name + "=\"[^\"]*\"", "");
        assertOnly(mpd, "MPD: no @" + name);
    }

    /** Each row: text of GOOD, its replacement, a fragment every problem found must contain. */
    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"  | <MPD xmlns="urn:mpeg:DASH:schema:MPD:2011"   | expected MPD in namespace
            type="dynamic"                              | type="static"                               | type is static
            publishTime="2026-11-24T10:01:00.400Z"      | publishTime="2026-11-24T10:01:00.400"       | with a time zone
            minimumUpdatePeriod="PT2S"                  | minimumUpdatePeriod="2"                     | is not an xs:duration
            publishTime="2026-11-24T10:01:00.400Z"      | publishTime="2026-11-24T09:59:00Z"          | is before availabilityStartTime
            publishTime="2026-11-24T10:01:00.400Z"      | publishTime="2026-11-24T10:01:02Z"          | after the server time
            value="http://127.0.0.1:8080/time"          | value="/time"                               | UTCTiming
            http-xsdate:2014                            | direct:2014                                 | no UTCTiming
            <Latency target="3000" min="2000" max="6000"/> | <Latency target="3"/>                     | implausible
            min="2000"                                  | min="4000"                                  | min 4000 ms > target
            max="6000"                                  | max="2500"                                  | target 3000 ms > max 2500
            <Latency target="3000" min="2000" max="6000"/> | <Latency min="2000" max="6000"/>          | Latency: no @target
            min="0.96"                                  | min="1.1"                                   | is not in (0, 1]
            max="1.04"                                  | max="0.9"                                   | is below 1
            <PlaybackRate min="0.96" max="1.04"/>       | ``                                          | no PlaybackRate
            <ServiceDescription id="0">                 | <ServiceDescription id="0"><Scope schemeIdUri="urn:example"/> | dash.js 5 ignores
            <Period id="p0" start="PT0S">               | <Period start="PT0S">                       | no id
            <Period id="p0" start="PT0S">               | <Period id="p0">                            | Period[p0]: no @start
            contentType="video" mimeType="video/mp4"    | contentType="text" mimeType="text/vtt"      | carries text
            mimeType="audio/mp4" segmentAlignment="true" | mimeType="audio/mp4"                       | segmentAlignment is absent
            bandwidth="2500000"                         | bandwidth="0"                               | bandwidth is 0
            bandwidth="2500000"                         | ``                                          | no @bandwidth
            codecs="mp4a.40.2"                          | ``                                          | no codecs
            width="1280"                                | ``                                          | no width
            frameRate="30"                              | frameRate="30fps"                           | is not N or N/D
            audioSamplingRate="48000"                   | ``                                          | no audioSamplingRate
            <Representation id="audio"                  | <Representation id="video"                  | id used by another Representation
            timescale="90000"                           | ``                                          | no @timescale
            initialization="audio/init.mp4"             | ``                                          | no @initialization
            media="audio/$Number$.m4s"                  | media="audio/$Time$.m4s"                    | has no $Number$
            initialization="audio/init.mp4"             | initialization="audio/$Number$.mp4"         | $Number$ is not allowed here
            startNumber="16" availabilityTimeOffset="1.8" availabilityTimeComplete="false">  | availabilityTimeOffset="1.8" availabilityTimeComplete="false"> | no @startNumber
            <S t="2700000" d="180000" r="14"/>          | <S t="2700000" d="0" r="14"/>               | d is 0
            <S t="2700000" d="180000" r="14"/>          | <S t="2700000" d="180000" r="-1"/>          | r=-1
            <S d="96000"/>                              | <S t="2700000" d="96000"/>                  | overlaps the previous S
            r="14"                                      | r="16"                                      | announced too early
            r="14"                                      | r="12"                                      | misses newer segments
            timeShiftBufferDepth="PT30S"                | timeShiftBufferDepth="PT10S"                | outside timeShiftBufferDepth
            maxSegmentDuration="PT2S"                   | maxSegmentDuration="PT1S"                   | more than MPD@maxSegmentDuration
            startNumber="16" availabilityTimeOffset="1.8" availabilityTimeComplete="false">  | startNumber="16" availabilityTimeComplete="false"> | low latency needs > 0
            startNumber="16" availabilityTimeOffset="1.8" availabilityTimeComplete="false">  | startNumber="16" availabilityTimeOffset="1.8"> | availabilityTimeComplete is absent (true)
            availabilityTimeOffset="1.8" availabilityTimeComplete="false">  | availabilityTimeOffset="INF" availabilityTimeComplete="false"> | INF
            availabilityTimeOffset="1.8" availabilityTimeComplete="false">  | availabilityTimeOffset="2.5" availabilityTimeComplete="false"> | exceeds the longest segment
            """)
    void eachBrokenRuleIsCaught(String from, String to, String fragment) {
        assertOnly(replaceOnce(GOOD, from, to), fragment);
    }

    @Test
    void contentTypeAndMimeTypeMustAgree() {
        Result r = MpdValidator.validate(replaceOnce(GOOD, "contentType=\"audio\" mimeType=\"audio/mp4\"",
                "contentType=\"audio\" mimeType=\"video/mp4\""), MPD_URL, NOW);
        // the Representation inherits the AdaptationSet's mimeType, so it is reported as well
        assertEquals(2, r.problems().size(), r.toString());
        assertTrue(r.problems().get(0).contains("contentType audio contradicts mimeType video/mp4"), r.toString());
    }

    @Test
    void adaptationSetWithoutType() {
        String mpd = replaceOnce(replaceOnce(GOOD, "contentType=\"video\" mimeType=\"video/mp4\"", ""),
                "<Representation id=\"video\"", "<Representation id=\"video\" mimeType=\"video/mp4\"");
        assertOnly(mpd, "neither contentType nor mimeType");
    }

    @Test
    void presentationTimeOffsetAfterFirstSegment() {
        // a Period starting at 30 s whose timelines count from the encoder's origin: PTO maps t to the Period start
        String mpd = replaceOnce(GOOD, "<Period id=\"p0\" start=\"PT0S\">", "<Period id=\"p0\" start=\"PT30S\">");
        mpd = replaceOnce(mpd, "<SegmentTemplate timescale=\"90000\"",
                "<SegmentTemplate presentationTimeOffset=\"2700000\" timescale=\"90000\"");
        assertTrue(MpdValidator.validate(mpd.replace("presentationTimeOffset=\"0\"",
                "presentationTimeOffset=\"1440000\""), MPD_URL, NOW).ok());
        // one tick too far: the first audio segment would start before its Period
        assertOnly(mpd.replace("presentationTimeOffset=\"0\"", "presentationTimeOffset=\"1440001\""),
                "is after the first S@t");
    }

    @Test
    void notXmlIsOneProblem() {
        assertOnly(GOOD.substring(0, 200), "not well-formed XML");
    }

    @Test
    void childrenOutOfSchemaOrder() {
        String utc = "  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-xsdate:2014\" value=\"http://127.0.0.1:8080/time\"/>\n";
        String mpd = replaceOnce(GOOD, utc, "").replace("  <ServiceDescription id=\"0\">", utc + "  <ServiceDescription id=\"0\">");
        assertOnly(mpd, "after UTCTiming");
    }

    @Test
    void periodsNeedDistinctIdsAndIncreasingStarts() {
        int from = GOOD.indexOf("  <Period");
        int to = GOOD.indexOf("</Period>") + "</Period>\n".length();
        String mpd = GOOD.substring(0, to) + GOOD.substring(from, to) + GOOD.substring(to);
        Result r = MpdValidator.validate(mpd, MPD_URL, NOW);
        assertEquals(2, r.problems().size(), r.toString());
        assertTrue(r.problems().get(0).contains("id used by an earlier Period"), r.toString());
        assertTrue(r.problems().get(1).contains("is not after the previous Period"), r.toString());
    }

    @Test
    void misalignedRepresentationsOfOneAdaptationSet() {
        // a second video Representation with its own timeline, shifted by 1 s: same Numbers, other times
        String second = "<Representation id=\"video2\" bandwidth=\"800000\" codecs=\"avc1.64001f\" width=\"640\""
                + " height=\"360\" frameRate=\"30\"><SegmentTemplate><SegmentTimeline><S t=\"2790000\" d=\"180000\""
                + " r=\"14\"/></SegmentTimeline></SegmentTemplate></Representation>\n    </AdaptationSet>";
        String mpd = GOOD.replaceFirst("</AdaptationSet>", second);
        assertOnly(mpd, "(segmentAlignment)");
    }

    @Test
    void templates() {
        assertEquals("v/00042-7-$-9000.m4s", MpdTemplate.expand("$RepresentationID$/$Number%05d$-$Bandwidth$-$$-$Time$.m4s",
                "v", 7, 42L, 9000L));
        assertThrows(IllegalArgumentException.class, () -> MpdTemplate.expand("$RepresentationID%03d$", "v", 1, 1L, 1L));
        assertThrows(IllegalArgumentException.class, () -> MpdTemplate.expand("$Num$", "v", 1, 1L, 1L));
        assertThrows(IllegalArgumentException.class, () -> MpdTemplate.expand("a$b", "v", 1, 1L, 1L));
        assertThrows(IllegalArgumentException.class, () -> MpdTemplate.expand("$Time$", "v", 1, null, null));
    }

    @Test
    void xsdDurations() {
        assertEquals(2.0, XsdTypes.durationSeconds("PT2S"));
        assertEquals(0.5, XsdTypes.durationSeconds("PT0.5S"));
        assertEquals(2.0, XsdTypes.durationSeconds("P0Y0M0DT0H0M2.000S"));
        assertEquals(90.5, XsdTypes.durationSeconds("PT1M30.5S"));
        assertEquals(93600.0, XsdTypes.durationSeconds("P1DT2H"));
        for (String bad : List.of("P", "PT", "2S", "PT2", "P2S", "pt2s")) {
            assertThrows(IllegalArgumentException.class, () -> XsdTypes.durationSeconds(bad), bad);
        }
        assertEquals(Instant.parse("2026-11-24T09:00:00Z"), XsdTypes.dateTime("2026-11-24T10:00:00+01:00"));
    }

    /** fetchAll GETs the time source, init and complete segments with an Origin, and reports what a player would hit. */
    @Test
    void fetchAllReportsStatusCorsAndBoxes() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = path.endsWith("/time") ? "2026-11-24T10:01:00.500Z".getBytes(StandardCharsets.US_ASCII)
                    : path.endsWith("init.mp4") ? box("ftyp") : box("styp");
            if (!path.endsWith("/audio/20.m4s")) { // one segment without CORS
                ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            }
            if (path.endsWith("/video/00030.m4s")) { // the newest video segment not (yet) there
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, path.endsWith("/audio/21.m4s") ? 3 : body.length);
                ex.getResponseBody().write(body, 0, path.endsWith("/audio/21.m4s") ? 3 : body.length);
            }
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            String mpd = GOOD.replace("http://127.0.0.1:8080", base);
            Result r = MpdValidator.validate(mpd, URI.create(base + "/live/test/manifest.mpd"), NOW);
            assertTrue(r.ok(), r.toString());
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(NOW, MpdValidator.serverTime(client, URI.create(base + "/time")));
            List<String> problems = r.fetchAll(client);
            assertEquals(3, problems.size(), String.join("\n", problems));
            assertTrue(problems.get(0).contains("video segment 30") && problems.get(0).contains("status 404"), problems.get(0));
            assertTrue(problems.get(1).contains("audio segment 20") && problems.get(1).contains("Access-Control-Allow-Origin"),
                    problems.get(1));
            assertTrue(problems.get(2).contains("audio segment 21") && problems.get(2).contains("no box"), problems.get(2));
            assertEquals(List.of(), r.fetchAll(client, 8).stream().filter(p -> p.contains("segment 2")).toList());
        } finally {
            server.stop(0);
        }
    }

    private static byte[] box(String type) {
        byte[] b = new byte[16];
        b[3] = 16;
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, b, 4, 4);
        return b;
    }

    private static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        assertTrue(at >= 0 && text.indexOf(from, at + 1) < 0, "'" + from + "' must occur exactly once in the MPD");
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    /** The MPD has problems, and every one of them contains {@code fragment}: the mutation broke that rule only. */
    private static void assertOnly(String mpd, String fragment) {
        Result r = MpdValidator.validate(mpd, MPD_URL, NOW);
        assertFalse(r.ok(), "expected a problem containing '" + fragment + "' in\n" + mpd);
        for (String problem : r.problems()) {
            assertTrue(problem.contains(fragment), "expected only '" + fragment + "' problems, got " + r);
        }
    }
}
