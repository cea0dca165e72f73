package io.estuary.server.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator on hand-written playlists, good and broken one rule at a time; no server needed. */
class LlHlsValidatorTest {

    /** Segments 10 and 11 complete (11 with its four parts), two parts of 12 listed, the hint names 12.2. */
    static final String GOOD = """
            #EXTM3U
            #EXT-X-VERSION:9
            #EXT-X-TARGETDURATION:2
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5,CAN-SKIP-UNTIL=12
            #EXT-X-PART-INF:PART-TARGET=0.5
            #EXT-X-MEDIA-SEQUENCE:10
            #EXT-X-MAP:URI="video/1/init.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00.000Z
            #EXTINF:2.000,
            video/1/10.m4s
            #EXT-X-PART:DURATION=0.500,URI="video/1/11.0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.500,URI="video/1/11.1.m4s"
            #EXT-X-PART:DURATION=0.500,URI="video/1/11.2.m4s"
            #EXT-X-PART:DURATION=0.467,URI="video/1/11.3.m4s"
            #EXTINF:1.967,
            video/1/11.m4s
            #EXT-X-PART:DURATION=0.500,URI="video/1/12.0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.500,URI="video/1/12.1.m4s"
            #EXT-X-PRELOAD-HINT:TYPE=PART,URI="video/1/12.2.m4s"
            #EXT-X-RENDITION-REPORT:URI="audio.m3u8",LAST-MSN=12,LAST-PART=1
            """;

    private static List<String> check(String text) {
        return LlHlsValidator.checkText(text, true);
    }

    private static void assertViolation(String text, String expectedFragment) {
        List<String> v = check(text);
        assertTrue(v.stream().anyMatch(s -> s.contains(expectedFragment)),
                "expected a violation containing '" + expectedFragment + "', got " + v);
    }

    @Test
    void goodPlaylistIsValid() {
        assertEquals(List.of(), check(GOOD));
    }

    @Test
    void parsesNumbering() {
        MediaPlaylist p = MediaPlaylist.parse(GOOD);
        assertEquals(2, p.segments().size());
        assertEquals(11, p.segments().get(1).msn());
        assertEquals(12, p.lastMsn());
        assertEquals(1, p.lastPart());
        assertEquals(6, p.allParts().size());
    }

    @Test
    void extm3uMustBeFirst() {
        assertViolation(GOOD.replaceFirst("#EXTM3U\n", "") + "#EXTM3U\n", "first line is not #EXTM3U");
    }

    @Test
    void requiredTagsMissing() {
        assertViolation(GOOD.replace("#EXT-X-PART-INF:PART-TARGET=0.5\n", ""), "missing EXT-X-PART-INF");
        assertViolation(GOOD.replace("#EXT-X-MEDIA-SEQUENCE:10\n", ""), "missing EXT-X-MEDIA-SEQUENCE");
        assertViolation(GOOD.replace("#EXT-X-VERSION:9\n", ""), "missing EXT-X-VERSION");
        assertViolation(GOOD.replace("#EXT-X-TARGETDURATION:2\n", ""), "missing EXT-X-TARGETDURATION");
    }

    @Test
    void headerTagAfterFirstSegment() {
        String moved = GOOD.replace("#EXT-X-MEDIA-SEQUENCE:10\n", "")
                .replace("video/1/10.m4s\n", "video/1/10.m4s\n#EXT-X-MEDIA-SEQUENCE:10\n");
        assertViolation(moved, "EXT-X-MEDIA-SEQUENCE (line");
    }

    @Test
    void mapAfterFirstSegmentOrMissing() {
        String moved = GOOD.replace("#EXT-X-MAP:URI=\"video/1/init.mp4\"\n", "")
                .replace("video/1/10.m4s\n", "video/1/10.m4s\n#EXT-X-MAP:URI=\"video/1/init.mp4\"\n");
        assertViolation(moved, "EXT-X-MAP (line");
        assertViolation(GOOD.replace("#EXT-X-MAP:URI=\"video/1/init.mp4\"\n", ""), "no EXT-X-MAP");
    }

    @Test
    void blockingReloadAndHoldBack() {
        assertViolation(GOOD.replace("CAN-BLOCK-RELOAD=YES,", ""), "CAN-BLOCK-RELOAD=YES");
        assertViolation(GOOD.replace("PART-HOLD-BACK=1.5", "PART-HOLD-BACK=1.0"), "less than 3 x PART-TARGET");
        assertViolation(GOOD.replace("PART-HOLD-BACK=1.5,", ""), "lacks PART-HOLD-BACK");
        assertViolation(GOOD.replace("CAN-SKIP-UNTIL=12", "CAN-SKIP-UNTIL=6"), "CAN-SKIP-UNTIL=6");
    }

    @Test
    void partLongerThanPartTarget() {
        assertViolation(GOOD.replace("DURATION=0.500,URI=\"video/1/11.1.m4s\"", "DURATION=0.520,URI=\"video/1/11.1.m4s\""),
                "exceeds PART-TARGET");
    }

    @Test
    void printingRoundingIsTolerated() {
        // 0.5005 s printed as 0.501 would be a real excess; 0.5004 printed exactly stays within the epsilon
        String text = GOOD.replace("DURATION=0.500,URI=\"video/1/12.1.m4s\"", "DURATION=0.5004,URI=\"video/1/12.1.m4s\"");
        assertEquals(List.of(), check(text));
    }

    @Test
    void shortPartThatIsNotLast() {
        assertViolation(GOOD.replace("DURATION=0.500,URI=\"video/1/11.1.m4s\"", "DURATION=0.300,URI=\"video/1/11.1.m4s\"")
                .replace("#EXTINF:1.967,", "#EXTINF:1.767,"), "under 85% of PART-TARGET");
    }

    @Test
    void extinfAboveTargetDuration() {
        assertViolation(GOOD.replace("#EXTINF:2.000,", "#EXTINF:2.600,"), "rounds above TARGETDURATION");
        // 2.4 rounds to 2: allowed by the RFC
        assertEquals(List.of(), check(GOOD.replace("#EXTINF:2.000,", "#EXTINF:2.400,")));
    }

    @Test
    void partsMustAddUpToTheSegment() {
        assertViolation(GOOD.replace("#EXTINF:1.967,", "#EXTINF:1.900,"), "parts add up to");
    }

    @Test
    void msnNumberingBroken() {
        assertViolation(GOOD.replace("video/1/11.m4s\n", "video/1/12.m4s\n"), "does not name MSN 11");
    }

    @Test
    void partNumberingBroken() {
        assertViolation(GOOD.replace("URI=\"video/1/11.2.m4s\"", "URI=\"video/1/11.3.m4s\""), "part numbering broken");
        assertViolation(GOOD.replace("URI=\"video/1/12.1.m4s\"", "URI=\"video/1/13.1.m4s\""), "part numbering broken");
    }

    @Test
    void preloadHintMustNameTheNextPart() {
        assertViolation(GOOD.replace("video/1/12.2.m4s", "video/1/12.3.m4s"), "not the part after the last listed one");
        assertViolation(GOOD.replace("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"video/1/12.2.m4s\"\n", ""), "no EXT-X-PRELOAD-HINT");
        // no trailing parts: the hint names part 0 of the next segment
        String completeOnly = GOOD.replace("#EXT-X-PART:DURATION=0.500,URI=\"video/1/12.0.m4s\",INDEPENDENT=YES\n", "")
                .replace("#EXT-X-PART:DURATION=0.500,URI=\"video/1/12.1.m4s\"\n", "")
                .replace("video/1/12.2.m4s", "video/1/12.0.m4s");
        assertEquals(List.of(), check(completeOnly));
    }

    @Test
    void oldPartsMustBeRemoved() {
        StringBuilder many = new StringBuilder(GOOD.substring(0, GOOD.indexOf("#EXTINF:2.000,")));
        for (int msn = 10; msn < 15; msn++) {
            for (int part = 0; part < 4; part++) {
                many.append("#EXT-X-PART:DURATION=0.500,URI=\"video/1/").append(msn).append('.').append(part)
                        .append(".m4s\"").append(part == 0 ? ",INDEPENDENT=YES" : "").append('\n');
            }
            many.append("#EXTINF:2.000,\nvideo/1/").append(msn).append(".m4s\n");
        }
        many.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"video/1/15.0.m4s\"\n");
        assertViolation(many.toString(), "segment 10 still lists parts");
    }

    @Test
    void skipNeedsVersion9AndCanSkipUntil() {
        String delta = GOOD.replace("#EXT-X-MAP:URI=\"video/1/init.mp4\"\n", "")
                .replace("#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00.000Z\n#EXTINF:2.000,\nvideo/1/10.m4s\n",
                        "#EXT-X-SKIP:SKIPPED-SEGMENTS=1\n");
        assertEquals(List.of(), check(delta));
        assertViolation(delta.replace("#EXT-X-VERSION:9", "#EXT-X-VERSION:7"), "EXT-X-SKIP needs EXT-X-VERSION 9");
        assertViolation(delta.replace(",CAN-SKIP-UNTIL=12", ""), "without CAN-SKIP-UNTIL");
    }

    @Test
    void renditionReportConsistency() {
        MediaPlaylist sibling = MediaPlaylist.parse(GOOD);
        assertEquals(List.of(), LlHlsValidator.compareReport(new MediaPlaylist.RenditionReport("a", 12L, 1L), sibling));
        assertEquals(List.of(), LlHlsValidator.compareReport(new MediaPlaylist.RenditionReport("a", 11L, 3L), sibling));
        assertTrue(LlHlsValidator.compareReport(new MediaPlaylist.RenditionReport("a", 12L, 2L), sibling).get(0)
                .contains("ahead"));
        assertTrue(LlHlsValidator.compareReport(new MediaPlaylist.RenditionReport("a", 9L, 0L), sibling).get(0)
                .contains("behind"));
    }

    @Test
    void continuityAcrossReloads() {
        MediaPlaylist before = MediaPlaylist.parse(GOOD);
        MediaPlaylist back = MediaPlaylist.parse(GOOD.replace("#EXT-X-MEDIA-SEQUENCE:10", "#EXT-X-MEDIA-SEQUENCE:9"));
        List<String> v = LlHlsValidator.checkContinuity(before, back);
        assertTrue(v.stream().anyMatch(s -> s.contains("MEDIA-SEQUENCE went back")), v.toString());
        MediaPlaylist renamed = MediaPlaylist.parse(GOOD.replace("video/1/11.m4s", "video/2/11.m4s"));
        v = LlHlsValidator.checkContinuity(before, renamed);
        assertTrue(v.stream().anyMatch(s -> s.contains("MSN 11 was video/1/11.m4s and is now video/2/11.m4s")), v.toString());
        assertEquals(List.of(), LlHlsValidator.checkContinuity(before, MediaPlaylist.parse(GOOD)));
    }

    @Test
    void attributeListWithQuotedCommas() {
        Map<String, String> a = MediaPlaylist.attributes("URI=\"a,b.m4s\",DURATION=0.5,INDEPENDENT=YES");
        assertEquals("a,b.m4s", a.get("URI"));
        assertEquals("0.5", a.get("DURATION"));
        assertEquals("YES", a.get("INDEPENDENT"));
    }

    /** The fetching half against a JDK HTTP server: URIs answer 200, parts concatenate to segments, reports agree. */
    @Test
    void fetchesEveryUriAndComparesPartsToSegments() throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        files.put("/live/x/video/1/init.mp4", bytes("init"));
        files.put("/live/x/video/1/10.m4s", bytes("segment-10"));
        StringBuilder eleven = new StringBuilder();
        for (int part = 0; part < 4; part++) {
            files.put("/live/x/video/1/11." + part + ".m4s", bytes("p" + part));
            eleven.append("p").append(part);
        }
        files.put("/live/x/video/1/11.m4s", bytes(eleven.toString()));
        files.put("/live/x/video/1/12.0.m4s", bytes("q0"));
        files.put("/live/x/video/1/12.1.m4s", bytes("q1"));
        files.put("/live/x/video.m3u8", bytes(GOOD));
        files.put("/live/x/audio.m3u8", bytes(GOOD));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        try {
            URI playlist = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/live/x/video.m3u8");
            UrlLedger ledger = new UrlLedger();
            LlHlsValidator validator = new LlHlsValidator(new Http(), ledger);
            assertEquals(List.of(), validator.validate(playlist));
            assertEquals(9, ledger.size()); // init, 10, 11.0-11.3, 11, 12.0, 12.1

            files.put("/live/x/video/1/11.m4s", bytes("p0p1p2XX"));
            List<String> v = validator.validate(playlist);
            assertTrue(v.stream().anyMatch(s -> s.contains("is not the concatenation")), v.toString());
            assertTrue(v.stream().anyMatch(s -> s.contains("served with different bytes")), v.toString());

            files.remove("/live/x/video/1/12.1.m4s");
            v = validator.validate(playlist);
            assertTrue(v.stream().anyMatch(s -> s.contains("12.1.m4s answered 404")), v.toString());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void multivariantNamesMediaPlaylists() {
        String text = """
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,URI="audio.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=3000000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,AUDIO="aac"
                video.m3u8
                """;
        List<String> v = new java.util.ArrayList<>();
        List<URI> uris = LlHlsValidator.mediaPlaylists(URI.create("http://h/live/x/index.m3u8"), text, v);
        assertEquals(List.of(URI.create("http://h/live/x/audio.m3u8"), URI.create("http://h/live/x/video.m3u8")), uris);
        assertEquals(List.of(), v);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
