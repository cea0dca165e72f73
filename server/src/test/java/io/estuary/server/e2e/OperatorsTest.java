package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.FfmpegReader;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What an operator sees while ffmpeg publishes: Prometheus metrics that promtool accepts and that move, the JSON
 * API agreeing with ffprobe, and a publisher dropped through the API, after which its series go.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorsTest {
    private static final String NAME = "ops";
    private static final String STREAM_LABELS = "app=\"live\" stream=\"" + NAME + "\"";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LiveFixture fixture;
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        // A short idle timeout: once the publisher is gone, the packager's series go too, within the test.
        fixture = LiveFixture.start(NAME, FfmpegPublisher.Profile.ZEROLATENCY,
                Map.of("estuary.packager.idle-timeout", "2s"));
        fixture.awaitSegments(1, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.server().httpPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = send("GET", "/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        return r.body();
    }

    /**
     * The samples of {@code family} whose label set has every one of {@code labels} (space-separated
     * {@code name="value"} pairs), by their full label set.
     */
    private static Map<String, Double> samples(String exposition, String family, String labels) {
        Map<String, Double> out = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^" + family + "\\{([^}]*)\\} (\\S+)$").matcher(exposition);
        while (m.find()) {
            List<String> set = List.of(m.group(1).split(","));
            if (set.containsAll(List.of(labels.split(" ")))) {
                out.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return out;
    }

    private static double sample(String exposition, String family, String labels) {
        Map<String, Double> found = samples(exposition, family, labels);
        assertEquals(1, found.size(), () -> family + "{" + labels + "} in " + found);
        return found.values().iterator().next();
    }

    @Test
    @Order(1)
    void metricsPassPromtoolAndTheStreamsCountersGrowBetweenScrapes() throws Exception {
        String first = scrape();
        Thread.sleep(2000);
        String second = scrape();
        Path promtool = Processes.requireExecutable("/usr/bin/promtool", "prometheus");
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        check.getOutputStream().write(second.getBytes(StandardCharsets.UTF_8));
        check.getOutputStream().close();
        String verdict = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), "promtool check metrics: " + verdict);

        for (String track : List.of("video", "audio")) {
            String labels = STREAM_LABELS + " track=\"" + track + "\"";
            for (String family : List.of("estuary_ingest_received_bytes_total", "estuary_ingest_received_frames_total")) {
                double before = sample(first, family, labels);
                double after = sample(second, family, labels);
                assertTrue(after > before, family + "{" + labels + "}: " + before + " then " + after);
            }
        }
        assertTrue(sample(second, "estuary_packager_parts_total", STREAM_LABELS)
                > sample(first, "estuary_packager_parts_total", STREAM_LABELS));
        assertEquals(1.0, sample(second, "estuary_ingest_publisher_connected", STREAM_LABELS));
        assertEquals(2.0, sample(second, "estuary_ingest_keyframe_interval_seconds", STREAM_LABELS), 0.1,
                "the publisher sends a keyframe every 2 s");
        assertTrue(second.contains("\nestuary_packager_part_latency_seconds_count "), "latency histogram");
        assertTrue(second.contains("estuary_http_requests_total{route=\"playlist\",status=\"200\"}"), second);
        assertTrue(second.contains("\nestuary_rtmp_connections_open 1.0"));
        assertTrue(second.contains("\njvm_memory_used_bytes{area=\"heap\"}"));
        assertTrue(second.contains("\nprocess_open_fds "));
        assertTrue(second.contains("\nestuary_netty_allocator_used_direct_memory_bytes "));
    }

    @Test
    @Order(2)
    void theApiShowsTheCodecsAndResolutionFfprobeSees() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/streams");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        JsonNode streams = JSON.readTree(r.body()).get("streams");
        assertEquals(1, streams.size(), r.body());
        JsonNode stream = streams.get(0);
        assertEquals("live/" + NAME, stream.get("key").asText());
        assertEquals("rtmp", stream.at("/publisher/protocol").asText());

        List<FfmpegReader.ProbedStream> probed = FfmpegReader.probe(fixture.multivariant().toString(),
                Processes.targetDir("e2e-logs").resolve("operators-probe.log"), Duration.ofSeconds(30));
        FfmpegReader.ProbedStream video = probed.stream().filter(p -> p.codecType().equals("video")).findFirst()
                .orElseThrow();
        FfmpegReader.ProbedStream audio = probed.stream().filter(p -> p.codecType().equals("audio")).findFirst()
                .orElseThrow();
        JsonNode apiVideo = track(stream, "video");
        JsonNode apiAudio = track(stream, "audio");
        assertEquals(video.codecName(), apiVideo.get("codecName").asText());
        assertEquals(video.width(), apiVideo.get("width").asInt());
        assertEquals(video.height(), apiVideo.get("height").asInt());
        assertEquals(audio.codecName(), apiAudio.get("codecName").asText());
        assertTrue(apiVideo.get("codec").asText().startsWith("avc1."));
        assertEquals(30.0, apiVideo.get("frameRate").asDouble(), 0.5);
        assertTrue(apiVideo.get("bitrateBps").asDouble() > 100_000, apiVideo.toString());
        assertEquals(2.0, apiVideo.get("gopSeconds").asDouble(), 0.1);
        assertEquals(48000, apiAudio.get("sampleRate").asInt());
        assertFalse(stream.at("/latency/partP50Ms").isNull(), "parts exist, so their latency is known");

        String hls = stream.at("/playback/hls").asText();
        assertEquals(fixture.multivariant().toString(), hls, "the playback URL uses the Host we reached it by");
        assertEquals(200, fixture.http().get(hls).status());
        assertEquals(fixture.rtmpUrl(), stream.at("/publish/rtmp").asText());

        HttpResponse<String> one = send("GET", "/api/v1/streams/live/" + NAME);
        assertEquals(200, one.statusCode());
        assertEquals("live/" + NAME, JSON.readTree(one.body()).get("key").asText());
        HttpResponse<String> server = send("GET", "/api/v1/server");
        assertEquals(1, JSON.readTree(server.body()).get("streams").asInt(), server.body());
    }

    private static JsonNode track(JsonNode stream, String type) {
        for (JsonNode t : stream.get("tracks")) {
            if (t.get("type").asText().equals(type)) {
                return t;
            }
        }
        throw new AssertionError("no " + type + " track in " + stream);
    }

    @Test
    @Order(3)
    void droppingThePublisherThroughTheApiDisconnectsItAndItsSeriesGo() throws Exception {
        HttpResponse<String> dropped = send("DELETE", "/api/v1/streams/live/" + NAME);
        assertEquals(200, dropped.statusCode(), dropped.body());
        Awaitility.await("ffmpeg disconnected").atMost(Duration.ofSeconds(10))
                .until(() -> !fixture.publisher().isAlive());
        HttpResponse<String> gone = send("GET", "/api/v1/streams/live/" + NAME);
        assertEquals(404, gone.statusCode());
        assertNotNull(JSON.readTree(gone.body()).get("error"));
        assertEquals(404, send("DELETE", "/api/v1/streams/live/" + NAME).statusCode());

        String afterStop = scrape();
        assertTrue(samples(afterStop, "estuary_ingest_received_bytes_total", STREAM_LABELS).isEmpty(), afterStop);
        assertTrue(samples(afterStop, "estuary_ingest_publisher_connected", STREAM_LABELS).isEmpty());
        assertTrue(afterStop.contains("\nestuary_streams_live 0.0"));
        // The playlists stay for the idle timeout (a republish continues them); then every series of the stream goes.
        Awaitility.await("packager series gone").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> !scrape().contains("stream=\"" + NAME + "\""));
    }
}
