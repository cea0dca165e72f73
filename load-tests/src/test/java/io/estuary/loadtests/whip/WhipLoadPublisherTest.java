package io.estuary.loadtests.whip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.estuary.server.EstuaryServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The WHIP load publisher against the real server in this JVM: what it sends is packaged into LL-HLS that ffprobe
 * reads, the server's WHIP metrics count it, and DELETE ends the stream; a publisher that offers the wrong
 * fingerprint fails its own handshake while a good one on another stream keeps publishing; on a lossy path, the
 * packets the server NACKs are sent again and repair the stream.
 */
class WhipLoadPublisherTest {
    private static final String KEY = "load-key";
    private static final List<String> STREAMS = List.of("load", "good", "bad", "m0", "m1", "m2", "m3", "m4");
    private static WhipClip clip;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void clip() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "ffmpeg encodes the clip");
        clip = WhipClip.load(Path.of("target"));
    }

    @Test
    @Timeout(30)
    void aPublishedClipIsPackagedProbedCountedAndDeleted() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffprobe")), "ffprobe reads the stream");
        try (EstuaryServer server = start(Map.of());
                WhipLoadPublisher load = new WhipLoadPublisher(clip, Duration.ofSeconds(10))) {
            String base = "http://127.0.0.1:" + server.httpPort() + "/live/load/";
            WhipPublication p = load.publish(URI.create(base + "whip"), KEY);
            p.started().get(10, TimeUnit.SECONDS);
            assertTrue(p.location().getPath().matches("/live/load/whip/[0-9a-f]{32}"), p.location().toString());

            // One segment of 2 s, in both media playlists; the multivariant lists H.264 and AAC (the Opus
            // transcoded), at the clip's size.
            String video = awaitSegment(base + "video.m3u8", Duration.ofSeconds(10));
            assertTrue(video.contains("#EXT-X-PART:"), video);
            awaitSegment(base + "audio.m3u8", Duration.ofSeconds(5));
            String index = get(base + "index.m3u8").body();
            assertTrue(index.contains("avc1.42c01e"), index);
            assertTrue(index.contains("mp4a.40.2"), index);
            assertTrue(index.contains("RESOLUTION=640x360"), index);
            assertEquals(List.of("aac", "h264"), ffprobe(base + "index.m3u8"));

            // The server counted what was sent: every packet up to a moment ago (none are lost on loopback), and it
            // asked for a keyframe at the start.
            long sentBytes = p.bytesSent();
            long sent = p.packetsSent();
            String metrics = get("http://127.0.0.1:" + server.httpPort() + "/metrics").body();
            assertEquals(1, value(metrics, "estuary_whip_sessions_started_total"), metrics);
            assertEquals(0, value(metrics, "estuary_whip_sessions_failed_total"));
            double received = value(metrics, "estuary_whip_rtp_packets_total");
            assertTrue(received >= sent && received <= sent + 200, "received " + received + ", sent " + sent);
            // Bytes after SRTP: the packets without their tags, a few percent less than what was sent.
            double bytes = value(metrics, "estuary_whip_rtp_bytes_total");
            assertTrue(bytes >= sentBytes * 0.9 && bytes < p.bytesSent(), bytes + " of " + sentBytes);
            // Keyframe requests: the publisher got no more than the server sent (one may be in flight). There need be
            // none: the server's first picture is the clip's keyframe, and the clip has one every 2 s, as asked.
            assertTrue(p.keyframeRequests() <= value(metrics, "estuary_whip_keyframe_requests_total"), metrics);
            assertEquals(0, p.feedbackErrors(), "every RTCP from the server decrypted and parsed");
            assertEquals(1, value(metrics, "estuary_whip_sessions"));

            // DELETE on the Location ends the session and the stream.
            assertEquals(200, p.stop());
            awaitMetric(server, "estuary_whip_sessions", 0);
            awaitMetric(server, "estuary_streams_live", 0);
            assertTrue(p.packetsSent() > 0 && !p.isActive());
        }
    }

    @Test
    @Timeout(30)
    void aForeignFingerprintFailsOnlyItsOwnSession() throws Exception {
        try (EstuaryServer server = start(Map.of("estuary.whip.connect-timeout", "3s"));
                WhipLoadPublisher load = new WhipLoadPublisher(clip, Duration.ofSeconds(10))) {
            String root = "http://127.0.0.1:" + server.httpPort() + "/live/";
            WhipPublication good = load.publish(URI.create(root + "good/whip"), KEY);
            good.started().get(10, TimeUnit.SECONDS);
            String before = awaitSegment(root + "good/video.m3u8", Duration.ofSeconds(10));

            long posted = System.nanoTime();
            WhipPublication bad = load.publishWithForeignFingerprint(URI.create(root + "bad/whip"), KEY);
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> bad.started().get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().contains("DTLS handshake as client failed"),
                    failed.getCause().getMessage());
            // The server refused the handshake and ended the session within its connect timeout.
            awaitMetric(server, "estuary_whip_sessions_failed_total", 1);
            awaitMetric(server, "estuary_whip_sessions", 1);
            assertTrue(System.nanoTime() - posted < TimeUnit.SECONDS.toNanos(4), "within connect-timeout");
            assertEquals(404, get(root + "bad/video.m3u8").statusCode());

            // Meanwhile the good stream kept publishing: its playlist grew, and it still does.
            Thread.sleep(2500);
            String after = get(root + "good/video.m3u8").body();
            assertTrue(segments(after) > segments(before), before + "\n---\n" + after);
            assertTrue(good.isActive(), good.closeReason());
            String metrics = get("http://127.0.0.1:" + server.httpPort() + "/metrics").body();
            assertEquals(1, value(metrics, "estuary_whip_sessions_started_total"), metrics);
        }
    }

    @Test
    @Timeout(30)
    void nackedPacketsAreRetransmittedAndRepairTheStream() throws Exception {
        // The server drops 5% of the RTP packets it receives, before SRTP, as a lossy network would.
        try (EstuaryServer server = start(Map.of("estuary.whip.simulated-loss", 0.05));
                WhipLoadPublisher load = new WhipLoadPublisher(clip, Duration.ofSeconds(10))) {
            String base = "http://127.0.0.1:" + server.httpPort() + "/live/load/";
            WhipPublication p = load.publish(URI.create(base + "whip"), KEY);
            p.started().get(10, TimeUnit.SECONDS);
            awaitSegment(base + "video.m3u8", Duration.ofSeconds(10));
            // Loss is random: read once a fair number of packets has been dropped (a few seconds at 5 %).
            String dropSeries = "estuary_whip_dropped_datagrams_total{reason=\"simulated_loss\"}";
            String metrics = get("http://127.0.0.1:" + server.httpPort() + "/metrics").body();
            for (int i = 0; i < 100 && value(metrics, dropSeries) <= 10; i++) {
                Thread.sleep(100);
                metrics = get("http://127.0.0.1:" + server.httpPort() + "/metrics").body();
            }
            double dropped = value(metrics, dropSeries);
            double recovered = value(metrics, "estuary_whip_packets_recovered_total");
            assertTrue(dropped > 10, metrics);
            assertTrue(p.nackedPackets() > 0 && p.retransmitted() > 0, "NACKed " + p.nackedPackets()
                    + ", retransmitted " + p.retransmitted());
            assertTrue(p.retransmitted() <= p.nackedPackets());
            // Retransmissions are dropped at 5% too, and audio is never NACKed: not every loss is repaired.
            assertTrue(recovered > 0 && recovered <= p.retransmitted(), "recovered " + recovered + ": " + metrics);
        }
    }

    @Test
    @Timeout(30)
    void manyPublishersStartWithoutStallingEachOther() throws Exception {
        // Each start used to freeze every running publisher for about a second (jitsi-srtp choosing its AES
        // implementation under a JVM-wide lock), and the burst after it overflowed the server's socket.
        try (EstuaryServer server = start(Map.of());
                WhipLoadPublisher load = new WhipLoadPublisher(clip, Duration.ofSeconds(10))) {
            List<WhipPublication> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                all.add(load.publish(URI.create("http://127.0.0.1:" + server.httpPort() + "/live/m" + i + "/whip"),
                        KEY));
                Thread.sleep(200);
            }
            for (WhipPublication p : all) {
                p.started().get(10, TimeUnit.SECONDS);
                assertTrue(p.iceConnectedNanos() > p.postedNanos() && p.startedNanos() > p.iceConnectedNanos());
            }
            Thread.sleep(2000);
            for (WhipPublication p : all) {
                assertTrue(p.isActive(), p.name() + ": " + p.closeReason());
                assertTrue(p.maxLateMs() < 500, p.name() + " was " + p.maxLateMs() + " ms late");
            }
        }
    }

    @Test
    @Timeout(30)
    void anOfferOfSetupPassiveMakesTheServerTheDtlsClient() throws Exception {
        try (EstuaryServer server = start(Map.of());
                WhipLoadPublisher load = new WhipLoadPublisher(clip, Duration.ofSeconds(10))) {
            String base = "http://127.0.0.1:" + server.httpPort() + "/live/load/";
            WhipPublication p = load.publishAsDtlsServer(URI.create(base + "whip"), KEY);
            p.started().get(10, TimeUnit.SECONDS);
            awaitSegment(base + "video.m3u8", Duration.ofSeconds(10));
            awaitSegment(base + "audio.m3u8", Duration.ofSeconds(5));
            String view = get("http://127.0.0.1:" + server.httpPort() + "/api/v1/streams/live/load").body();
            assertTrue(view.contains("\"dtlsRole\":\"client\""), view);
            assertEquals(0, p.feedbackErrors(), "the server's RTCP, protected with the client's keys, decrypts");
        }
    }

    @Test
    @Timeout(60)
    void sessionsThatEndLeaveNoThreadBehind() throws Exception {
        // Every session has a thread, a DTLS reader and an ice4j agent, on both sides: all must go with it.
        try (EstuaryServer server = start(Map.of())) {
            URI endpoint = URI.create("http://127.0.0.1:" + server.httpPort() + "/live/load/whip");
            cycle(server, endpoint); // warm-up: ice4j's and the JDK's shared pools start once
            cycle(server, endpoint);
            int baseline = threads().size();
            for (int i = 0; i < 6; i++) {
                cycle(server, endpoint);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!sessionThreads().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(List.of(), sessionThreads(), "threads of ended sessions");
            // Shared pools (the WHIP request executor, ice4j's) may still grow to their size, not beyond.
            assertTrue(threads().size() <= baseline + 2, "threads grew from " + baseline + ": " + threads());
        }
    }

    /**
     * The live threads, but the idle workers of the publishers' java.net.http clients (one client per publisher,
     * which Java 17 cannot close: they end on their own once idle).
     */
    private static List<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> !n.startsWith("HttpClient-")).sorted().toList();
    }

    /** Threads that belong to one session, on either side: the session's, its DTLS handshake's and reader's. */
    private static List<String> sessionThreads() {
        return threads().stream().filter(n -> n.startsWith("whip-") || n.startsWith("dtls-")).toList();
    }

    /** One WHIP session: published until media flows, then DELETEd, and gone from the server. */
    private void cycle(EstuaryServer server, URI endpoint) throws Exception {
        try (WhipLoadPublisher load = new WhipLoadPublisher(clip, Duration.ofSeconds(10))) {
            WhipPublication p = load.publish(endpoint, KEY);
            p.started().get(10, TimeUnit.SECONDS);
            Thread.sleep(300);
            assertEquals(200, p.stop());
        }
        awaitMetric(server, "estuary_whip_sessions", 0);
    }

    private static EstuaryServer start(Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(overrides);
        settings.put("estuary.http.port", 0);
        settings.put("estuary.http.host", "127.0.0.1");
        settings.put("estuary.rtmp.port", 0);
        settings.put("estuary.whip.udp-port", 0);
        settings.put("estuary.whip.host-addresses", List.of("127.0.0.1"));
        settings.put("estuary.transcoder.enabled", false);
        Config config = ConfigFactory.parseMap(settings)
                .withFallback(ConfigFactory.parseString("estuary.publish.keys { " + String.join(", ", STREAMS.stream()
                        .map(s -> "\"live/" + s + "\" = \"" + KEY + "\"").toList()) + " }"))
                .withFallback(ConfigFactory.load());
        return EstuaryServer.start(config);
    }

    /** Segments the playlist has ever listed: its media sequence plus those it lists now. */
    private static long segments(String playlist) {
        Matcher m = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(playlist);
        long sequence = m.find() ? Long.parseLong(m.group(1)) : 0;
        return sequence + playlist.lines().filter(l -> l.startsWith("#EXTINF")).count();
    }

    private String awaitSegment(String url, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(url);
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200 && r.body().contains("#EXTINF")) {
                return r.body();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(url + " listed no segment within " + timeout + ": " + last);
    }

    private void awaitMetric(EstuaryServer server, String series, double expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        double last = Double.NaN;
        while (System.nanoTime() < deadline) {
            last = value(get("http://127.0.0.1:" + server.httpPort() + "/metrics").body(), series);
            if (last == expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(series + " was " + last + ", not " + expected);
    }

    /** The codec names ffprobe finds in the stream, sorted. */
    private static List<String> ffprobe(String url) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/ffprobe", "-v", "error", "-show_entries", "stream=codec_name",
                "-of", "csv=p=0", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "ffprobe finished");
        assertEquals(0, p.exitValue(), out);
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).distinct().sorted().toList();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A sample's value from the Prometheus text (name with its labels, exactly as written); NaN when absent. */
    static double value(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
