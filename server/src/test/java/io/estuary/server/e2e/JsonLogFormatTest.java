package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The server as an operator runs it with {@code ESTUARY_LOG_FORMAT=json}: its own process (Logback reads its
 * configuration once per JVM), every line on stdout a JSON object, and the publish events carrying stream,
 * remote address and reason as fields a log shipper can index.
 */
class JsonLogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RTMP_PORT = Pattern.compile("RTMP on \\S*:(\\d+)");

    @Test
    void everyLineIsJsonAndPublishEventsCarryTheirFields() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Destuary.http.port=0", "-Destuary.rtmp.port=0", "-Destuary.whip.udp-port=0", "-Destuary.http.host=127.0.0.1",
                "io.estuary.server.Main");
        builder.environment().put("ESTUARY_LOG_FORMAT", "json");
        builder.redirectError(ProcessBuilder.Redirect.to(Processes.targetDir("e2e-logs")
                .resolve("json-log-server.stderr").toFile()));
        Process server = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> all = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    all.add(line);
                }
            } catch (IOException e) {
                // the server was killed
            }
        }, "json-log-reader");
        reader.setDaemon(true);
        reader.start();
        FfmpegPublisher publisher = null;
        try {
            JsonNode listening = next(lines, e -> e.path("message").asText().startsWith("Listening"));
            assertEquals("INFO", listening.get("level").asText());
            assertEquals("io.estuary.server.EstuaryServer", listening.get("logger_name").asText());
            assertNotNull(listening.get("@timestamp"));
            Matcher port = RTMP_PORT.matcher(listening.get("message").asText());
            assertTrue(port.find(), listening.toString());

            publisher = FfmpegPublisher.start("rtmp://127.0.0.1:" + port.group(1) + "/live/jsonlog",
                    FfmpegPublisher.Profile.ZEROLATENCY, Processes.targetDir("e2e-logs").resolve("json-log-ffmpeg.log"));
            JsonNode started = next(lines, e -> "publish_started".equals(e.path("event").asText()));
            assertEquals("live/jsonlog", started.get("stream").asText());
            assertEquals("rtmp", started.get("protocol").asText());
            assertTrue(started.get("remote").asText().startsWith("127.0.0.1:"), started.toString());
            Thread.sleep(1000);
            publisher.stop();
            JsonNode stopped = next(lines, e -> "publish_stopped".equals(e.path("event").asText()));
            assertEquals("live/jsonlog", stopped.get("stream").asText());
            assertTrue(stopped.get("reason").asText().length() > 0, stopped.toString());
            assertTrue(stopped.get("frames").asLong() > 0, stopped.toString());
            for (String line : all) {
                assertTrue(JSON.readTree(line).isObject(), "not a JSON object: " + line);
            }
        } finally {
            if (publisher != null) {
                publisher.stop();
            }
            Processes.killTree(server, Duration.ofSeconds(5));
        }
    }

    /** The next log event matching {@code wanted}, within 20 s; every line on the way must be JSON. */
    private static JsonNode next(BlockingQueue<String> lines, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                JsonNode event = JSON.readTree(line);
                if (wanted.test(event)) {
                    return event;
                }
            }
        }
        throw new AssertionError("no such log event within 20 s");
    }
}
