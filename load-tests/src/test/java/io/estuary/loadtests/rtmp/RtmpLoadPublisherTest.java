package io.estuary.loadtests.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import io.estuary.server.EstuaryServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load publisher against the real server: streams are accepted and packaged, a refusal fails the start, and
 * media bundled in aggregate messages plays like media sent message by message.
 */
class RtmpLoadPublisherTest {

    @Test
    @Timeout(90)
    void publishesStreamsTheServerPackages() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "ffmpeg encodes the sample clip");
        FlvFile flv = FlvFile.read(SampleFlv.ensure(Path.of("target")));
        var config = ConfigFactory.parseMap(Map.of("estuary.http.host", "127.0.0.1", "estuary.http.port", 0,
                "estuary.rtmp.port", 0, "estuary.whip.udp-port", 0, "estuary.transcoder.enabled", false))
                .withFallback(ConfigFactory.load());
        HttpClient http = HttpClient.newHttpClient();
        try (EstuaryServer server = EstuaryServer.start(config);
                RtmpLoadPublisher load = new RtmpLoadPublisher(flv, 1, Duration.ofSeconds(10))) {
            List<Publication> all = RtmpLoad.startAll(load, "127.0.0.1", server.rtmpPort(), "live", "t", 3,
                    Duration.ZERO);
            CompletableFuture.allOf(all.stream().map(Publication::started).toArray(CompletableFuture[]::new))
                    .get(20, TimeUnit.SECONDS);
            Publication bad = load.publish("127.0.0.1", server.rtmpPort(), "no such/app!", "t-09");
            assertTrue(bad.started().handle((v, e) -> e != null).get(20, TimeUnit.SECONDS), "connect is refused");
            assertPackaged(http, "http://127.0.0.1:" + server.httpPort() + "/live/t-02/");
            assertTrue(all.stream().allMatch(p -> p.isActive() && p.bytesSent() > 0), all.toString());
        }
    }

    @Test
    @Timeout(60)
    void aggregateMessagesAsRelaysSendThemArePackagedLikeSingleOnes() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "ffmpeg encodes the sample clip");
        FlvFile flv = FlvFile.read(SampleFlv.ensure(Path.of("target")));
        var config = ConfigFactory.parseMap(Map.of("estuary.http.host", "127.0.0.1", "estuary.http.port", 0,
                "estuary.rtmp.port", 0, "estuary.whip.udp-port", 0, "estuary.transcoder.enabled", false))
                .withFallback(ConfigFactory.load());
        try (EstuaryServer server = EstuaryServer.start(config);
                RtmpLoadPublisher load = new RtmpLoadPublisher(flv, 1, Duration.ofSeconds(10)).sendAggregates(true)) {
            Publication relayed = load.publish("127.0.0.1", server.rtmpPort(), "live", "relayed");
            relayed.started().get(20, TimeUnit.SECONDS);
            assertPackaged(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.httpPort() + "/live/relayed/");
            assertTrue(relayed.isActive(), "the server kept the connection");
        }
    }

    /** Waits for the first complete 2 s segment under {@code base}, and checks the multivariant's resolution. */
    private static void assertPackaged(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String video = "";
        // One segment is complete after ~2 s of media; wait for the first #EXTINF.
        while (!video.contains("#EXTINF") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "video.m3u8")).build(),
                    HttpResponse.BodyHandlers.ofString());
            video = r.statusCode() == 200 ? r.body() : "";
        }
        assertTrue(video.contains("#EXTINF:2.0"), video);
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(base + "index.m3u8")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("RESOLUTION=1280x720"), index.body());
    }
}
