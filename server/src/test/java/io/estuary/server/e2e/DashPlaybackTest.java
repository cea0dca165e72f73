package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.e2e.support.ChromiumPlayer;
import io.estuary.server.e2e.support.ChunkedProbe;
import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.FfmpegReader;
import io.estuary.server.e2e.support.Http;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.MediaPlaylist;
import io.estuary.server.e2e.support.MpdValidator;
import io.estuary.server.e2e.support.Player;
import io.estuary.server.e2e.support.PlayerReport;
import io.estuary.server.e2e.support.Processes;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * LL-DASH with real clients, on one stream published by ffmpeg over RTMP (x264 with B-frames, 2 s GOP): the MPD's
 * structure and timing, the live-edge segment streamed before it is complete, ffmpeg reading the MPD, dash.js and
 * hls.js side by side on the same stream (the latency figure), Shaka, and last a republish under a playing dash.js.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashPlaybackTest {

    static final Duration PLAY_FOR = Duration.ofSeconds(20);
    /** The page leaves the latency to the MPD's ServiceDescription, as a site embedding the player would. */
    static final Map<String, String> MPD_STEERS = Map.of("latency", "mpd");

    private LiveFixture live;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void publish() {
        live = LiveFixture.start("dash", FfmpegPublisher.Profile.BFRAMES);
        live.awaitSegments(3, Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    URI mpd() {
        return URI.create(live.base() + "manifest.mpd");
    }

    MpdValidator.Result validated() {
        Http.Response r = live.http().get(mpd());
        assertEquals(200, r.status(), r.text());
        assertEquals("application/dash+xml", r.headers().first("content-type"));
        assertEquals("public, max-age=1", r.headers().first("cache-control"));
        Instant now = MpdValidator.serverTime(client, URI.create("http://127.0.0.1:" + live.server().httpPort() + "/time"));
        return MpdValidator.validate(r.text(), mpd(), now);
    }

    @Test
    @Order(1)
    void theMpdIsWellFormedAndEverySegmentItNamesIsServed() {
        MpdValidator.Result result = validated();
        assertTrue(result.ok(), "MPD problems: " + result.problems() + "\n" + result);
        assertEquals(List.of(), result.fetchAll(client), "fetching the MPD's init segments and segments");
        // The very URLs of the HLS playlists: a CDN caches each object once, whichever protocol asked.
        MediaPlaylist video = live.playlist("video");
        URI hlsSegment = live.media("video").resolve(video.segments().get(video.segments().size() - 2).uri());
        assertTrue(result.completeSegments().stream().anyMatch(s -> s.url().equals(hlsSegment)),
                hlsSegment + " is not in the MPD: " + result);
        System.out.println("DASH_MPD " + result.representations().size() + " representations, "
                + result.segments().size() + " segments");
    }

    @Test
    @Order(2)
    void theLiveEdgeSegmentStreamsBeforeItIsComplete() throws Exception {
        // Right after a segment completes, ask for the next one: it is being produced.
        MediaPlaylist now = live.playlist("video");
        long next = now.lastMsn() + 1;
        Http.Response blocked = live.http().get(URI.create(live.media("video") + "?_HLS_msn=" + next + "&_HLS_part=0"));
        assertEquals(200, blocked.status());
        String uri = now.segments().get(now.segments().size() - 1).uri().replaceAll("\\d+\\.m4s$", next + ".m4s");
        ChunkedProbe.Result streamed = ChunkedProbe.get(live.media("video").resolve(uri), Duration.ofSeconds(15));
        assertEquals(200, streamed.status());
        assertTrue(streamed.chunked(), "not chunked: " + streamed.headers());
        assertEquals("public, max-age=31536000, immutable", streamed.header("cache-control"));
        Duration spread = streamed.bodySpread();
        System.out.println(String.format(Locale.ROOT, "DASH_CHUNKED segment %d: first byte after %d ms, last after "
                        + "%d ms, %d chunks, %d bytes", next, streamed.timeToFirstByte().toMillis(),
                streamed.timeToLastByte().toMillis(), streamed.chunks().size(), streamed.totalBytes()));
        assertTrue(spread.toMillis() >= 500, "first byte only " + spread.toMillis()
                + " ms before the last: the segment was not streamed part by part");
        // What was streamed is the segment, byte for byte, as served once complete.
        Http.Response whole = live.http().get(live.media("video").resolve(uri));
        assertEquals(200, whole.status());
        assertArrayEquals(whole.body(), streamed.body());
        // Just beyond the live edge: 404, never cached (a player asking early must get the segment once it exists).
        long edge = live.playlist("video").lastMsn();
        String ahead = uri.replaceAll("\\d+\\.m4s$", (edge + 2) + ".m4s");
        Http.Response notYet = live.http().get(live.media("video").resolve(ahead));
        assertEquals(404, notYet.status());
        assertEquals("no-store", notYet.headers().first("cache-control"));
    }

    @Test
    @Order(3)
    void ffmpegReadsTheMpdAndDecodesTenSeconds() {
        FfmpegReader.DecodeResult r = FfmpegReader.decode(mpd().toString(), 10,
                Processes.targetDir("e2e-logs").resolve("ffmpeg-read-dash.log"), Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.videoSeconds(30) >= 9.9, "video decoded: " + r);
        assertTrue(r.audioSeconds(48_000) >= 9.9 || r.audioSeconds(44_100) >= 9.9, "audio decoded: " + r);
    }

    @Test
    @Order(4)
    void dashJsPlaysTwentySecondsBesideHlsJsOnTheSameStream() {
        try (ChromiumPlayer dash = ChromiumPlayer.open(Player.DASHJS, mpd().toString(), MPD_STEERS,
                Processes.targetDir("e2e-logs").resolve("chromium-dashjs.log"));
             ChromiumPlayer hls = ChromiumPlayer.open(live.multivariant().toString(),
                     Processes.targetDir("e2e-logs").resolve("chromium-hlsjs-beside-dash.log"))) {
            Playback.Window played = Playback.play(dash, "dash.js", PLAY_FOR);
            PlayerReport end = played.end();
            assertEquals(Boolean.TRUE, end.lowLatency(), "dash.js is not in low-latency mode: " + end.raw());
            assertTrue(hls.reportsSince(played.fromNanos()).stream().noneMatch(PlayerReport::fatal),
                    "hls.js: " + hls.latest());
            printLatency("DASHJS", played.reports());
            printLatency("HLSJS_BESIDE", hls.reportsSince(played.fromNanos()));
        }
    }

    @Test
    @Order(5)
    void shakaPlaysTheSameMpd() {
        try (ChromiumPlayer shaka = ChromiumPlayer.open(Player.SHAKA, mpd().toString(), MPD_STEERS,
                Processes.targetDir("e2e-logs").resolve("chromium-shaka.log"))) {
            Playback.Window played = Playback.play(shaka, "Shaka", PLAY_FOR);
            printLatency("SHAKA", played.reports());
        }
    }

    @Test
    @Order(6)
    void aRepublishIsANewPeriodAndDashJsPlaysOn() throws Exception {
        try (ChromiumPlayer dash = ChromiumPlayer.open(Player.DASHJS, mpd().toString(), MPD_STEERS,
                Processes.targetDir("e2e-logs").resolve("chromium-dashjs-republish.log"))) {
            PlayerReport started = dash.await(r -> r.fatal() || (r.playing() && r.currentTime() > 2.0),
                    Duration.ofSeconds(30), "dash.js starting");
            assertFalse(started.fatal(), started.raw());
            live.publisher().stop();
            Thread.sleep(2000);
            live.publish();
            long republishedAt = System.nanoTime();
            live.awaitSegments(1, Duration.ofSeconds(20));
            double before = dash.latest().currentTime();
            PlayerReport resumed = dash.await(r -> r.fatal()
                            || (r.receivedNanos() > republishedAt && r.currentTime() > before + 5.0),
                    Duration.ofSeconds(40), "currentTime advancing 5 s past the republish");
            assertFalse(resumed.fatal(), "dash.js after the republish: " + resumed.raw());
            assertTrue(dash.reports().stream().noneMatch(PlayerReport::fatal), "a fatal error was reported");
            MpdValidator.Result result = validated();
            assertTrue(result.ok(), "MPD problems after the republish: " + result.problems());
            long periods = result.representations().stream().map(MpdValidator.Representation::periodId)
                    .distinct().count();
            assertEquals(2, periods, "one Period per publish session: " + result);
            System.out.println("DASH_REPUBLISH dash.js " + before + " -> " + resumed.currentTime());
        }
    }

    static void printLatency(String label, List<PlayerReport> reports) {
        double[] l = reports.stream().map(PlayerReport::wallClockLatency).filter(x -> x != null && x > 0)
                .mapToDouble(Double::doubleValue).sorted().toArray();
        if (l.length == 0) {
            System.out.println(label + "_LATENCY n/a");
            return;
        }
        System.out.println(String.format(Locale.ROOT, "%s_LATENCY p50=%.3fs min=%.3fs max=%.3fs samples=%d", label,
                l[l.length / 2], l[0], l[l.length - 1], l.length));
    }
}
