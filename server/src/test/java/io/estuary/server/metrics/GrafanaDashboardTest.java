package io.estuary.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.Http;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Grafana dashboard and the Prometheus rules in {@code conf/} ask only for metrics the server exposes: first
 * against the agreed names (issue 3 contract, plus the JVM and process names of
 * prometheus-metrics-instrumentation-jvm 1.x), then against the {@code /metrics} scrape of a live server.
 */
@ExtendWith(LeakWatch.class)
class GrafanaDashboardTest {

    /** Histograms and summaries: their {@code _bucket}, {@code _sum}, {@code _count} series belong to these. */
    static final Set<String> HISTOGRAMS_AND_SUMMARIES = Set.of(
            "estuary_packager_part_latency_seconds", "estuary_http_request_duration_seconds",
            "jvm_gc_collection_seconds");

    /** The metric families the contract names, counters with {@code _total} as queried. */
    static final Set<String> CONTRACT = Set.of(
            "estuary_build_info",
            "estuary_netty_allocator_used_direct_memory_bytes",
            "estuary_netty_allocator_used_heap_memory_bytes",
            "estuary_streams_live",
            "estuary_ingest_received_bytes_total",
            "estuary_ingest_received_frames_total",
            "estuary_ingest_dropped_frames_total",
            "estuary_ingest_keyframe_interval_seconds",
            "estuary_ingest_publisher_connected",
            "estuary_stream_viewers",
            "estuary_packager_segments_total",
            "estuary_packager_parts_total",
            "estuary_packager_window_bytes",
            "estuary_packager_part_latency_seconds",
            "estuary_http_requests_total",
            "estuary_http_response_bytes_total",
            "estuary_http_request_duration_seconds",
            "estuary_http_blocking_requests_in_flight",
            "estuary_rtmp_connections_open",
            "estuary_rtmp_connections_total",
            "estuary_rtmp_refused_total",
            "estuary_rtmp_protocol_errors_total",
            "estuary_whip_sessions", "estuary_whip_sessions_started_total", "estuary_whip_sessions_failed_total",
            "estuary_whip_rtp_packets_total", "estuary_whip_rtp_bytes_total", "estuary_whip_packets_lost_total",
            "estuary_whip_packets_recovered_total", "estuary_whip_nack_requests_total",
            "estuary_whip_keyframe_requests_total", "estuary_whip_dropped_datagrams_total",
            "estuary_transcoder_sessions", "estuary_transcoder_speed_ratio", "estuary_transcoder_lag_seconds",
            "estuary_transcoder_shedding_level", "estuary_transcoder_frames_per_second",
            "estuary_transcoder_frames_total", "estuary_transcoder_dropped_frames_total",
            "estuary_transcoder_encode_seconds_total",
            // prometheus-metrics-instrumentation-jvm 1.x (JvmMemoryMetrics, JvmGarbageCollectorMetrics,
            // JvmThreadsMetrics, ProcessMetrics; process_resident_memory_bytes only on Linux)
            "jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
            "jvm_memory_pool_used_bytes", "jvm_gc_collection_seconds",
            "jvm_threads_current", "jvm_threads_daemon", "jvm_threads_peak", "jvm_threads_state",
            "process_cpu_seconds_total", "process_open_fds", "process_max_fds",
            "process_resident_memory_bytes", "process_start_time_seconds");

    /** Series Prometheus makes itself for every target; alert rules may use them. */
    static final Set<String> SYNTHETIC = Set.of("up");

    @Test
    void dashboardIsImportable() throws IOException {
        JsonNode d = MonitoringConf.dashboard();
        JsonNode input = d.path("__inputs").path(0);
        assertEquals("DS_PROMETHEUS", input.path("name").asText());
        assertEquals("datasource", input.path("type").asText());
        assertEquals("prometheus", input.path("pluginId").asText());
        assertFalse(d.path("uid").asText().isBlank(), "uid");
        assertFalse(d.path("title").asText().isBlank(), "title");
        assertEquals(39, d.path("schemaVersion").asInt());
        Map<String, JsonNode> variables = new TreeMap<>();
        d.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertEquals("label_values(estuary_ingest_publisher_connected, app)",
                MonitoringConf.variableQuery(variables.get("app")));
        assertEquals("label_values(estuary_ingest_publisher_connected{app=~\"$app\"}, stream)",
                MonitoringConf.variableQuery(variables.get("stream")));
        for (JsonNode v : variables.values()) {
            assertTrue(v.path("multi").asBoolean() && v.path("includeAll").asBoolean(), v.path("name") + " multi/all");
            assertPrometheus(v.path("datasource"), "variable " + v.path("name"));
        }
    }

    @Test
    void everyPanelHasAPlaceADatasourceAUnitAndQueries() throws IOException {
        Set<Integer> ids = new HashSet<>();
        List<JsonNode> panels = MonitoringConf.panels(MonitoringConf.dashboard());
        assertTrue(panels.size() > 20, "panels: " + panels.size());
        for (JsonNode p : panels) {
            String what = "panel " + p.path("id") + " '" + p.path("title").asText() + "'";
            assertTrue(p.path("id").isInt() && ids.add(p.path("id").asInt()), what + ": id missing or reused");
            JsonNode pos = p.path("gridPos");
            for (String field : List.of("h", "w", "x", "y")) {
                assertTrue(pos.path(field).isInt(), what + ": gridPos." + field);
            }
            assertTrue(pos.path("x").asInt() + pos.path("w").asInt() <= 24, what + ": wider than the grid");
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            assertPrometheus(p.path("datasource"), what);
            assertFalse(p.path("fieldConfig").path("defaults").path("unit").asText().isBlank(), what + ": unit");
            JsonNode targets = p.path("targets");
            assertTrue(targets.isArray() && !targets.isEmpty(), what + ": no targets");
            for (JsonNode t : targets) {
                assertFalse(t.path("expr").asText().isBlank(), what + ": target " + t.path("refId") + " has no expr");
                assertPrometheus(t.path("datasource"), what + " target " + t.path("refId"));
            }
        }
    }

    @Test
    void dashboardUsesOnlyContractMetrics() throws IOException {
        Set<String> families = families(MonitoringConf.dashboardSeriesNames());
        assertTrue(families.contains("estuary_packager_part_latency_seconds"), "sanity: " + families);
        Set<String> unknown = new TreeSet<>(families);
        unknown.removeAll(CONTRACT);
        assertEquals(Set.of(), unknown, "metrics the dashboard queries that the contract does not name");
    }

    @Test
    void alertRulesUseOnlyContractMetrics() throws IOException {
        Set<String> unknown = new TreeSet<>(families(MonitoringConf.alertSeriesNames()));
        unknown.removeAll(CONTRACT);
        unknown.removeAll(SYNTHETIC);
        assertEquals(Set.of(), unknown, "metrics the alert rules query that the contract does not name");
    }

    @Test
    void promtoolAcceptsTheRulesTheirTestsAndTheScrapeConfig() throws Exception {
        Promtool promtool = promtoolOrSkip();
        promtool.run(null, "check", "rules", "estuary-alerts.yml");
        promtool.run(null, "test", "rules", "estuary-alerts.test.yml");
        promtool.run(null, "check", "config", "prometheus.yml");
    }

    /** promtool parses every panel query, written as a recording rule with Grafana's variables filled in. */
    @Test
    void everyPanelQueryIsValidPromQl() throws Exception {
        Promtool promtool = promtoolOrSkip();
        ObjectMapper json = new ObjectMapper();
        ArrayNode rules = json.createArrayNode();
        for (JsonNode p : MonitoringConf.panels(MonitoringConf.dashboard())) {
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText()
                        .replace("$__rate_interval", "1m")
                        .replaceAll("\\$\\{?\\w+}?", ".*");
                rules.addObject().put("record", "dashboard:panel_" + p.path("id") + "_" + t.path("refId").asText())
                        .put("expr", expr);
            }
        }
        ObjectNode file = json.createObjectNode();
        file.putArray("groups").addObject().put("name", "dashboard").set("rules", rules);
        // YAML is a superset of JSON.
        Path out = Processes.targetDir("promtool").resolve("dashboard-queries.rules.yml");
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), file);
        promtool.run(null, "check", "rules", out.toString());
    }

    /**
     * A live server with a transcoded publisher (and one refused publish, so the refusal counter has a series)
     * serves every family the dashboard and the rules ask for. Per-stream series only exist while the stream is
     * live, and some gauges only after a measurement, so the scrape is retried for a while.
     */
    @Test
    @Tag("e2e")
    void aLiveServerExposesEveryMetricTheDashboardAndRulesUse() throws Exception {
        Set<String> wanted = new TreeSet<>(MonitoringConf.dashboardSeriesNames());
        wanted.addAll(MonitoringConf.alertSeriesNames());
        wanted.removeAll(SYNTHETIC);
        // Transcoded into the source and one small rung, so that the transcoder's series exist too.
        Map<String, Object> transcoding = Map.of("estuary.transcoder.enabled", true, "estuary.transcoder.ladder",
                List.of(Map.of("name", "source", "passthrough", true),
                        Map.of("name", "180p", "height", 180, "bitrate", "200k")));
        try (LiveFixture live = LiveFixture.start("grafana", FfmpegPublisher.Profile.ZEROLATENCY, transcoding)) {
            live.awaitSegments(2, Duration.ofSeconds(30), List.of("source", "180p", "audio"));
            publishRefused(live);
            String url = "http://127.0.0.1:" + live.server().httpPort() + "/metrics";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            Set<String> missing = wanted;
            Map<String, String> types = Map.of();
            while (System.nanoTime() < deadline) {
                Http.Response r = live.http().get(url);
                assertEquals(200, r.status(), "GET /metrics");
                Files.writeString(Processes.targetDir("e2e-logs").resolve("metrics-scrape.txt"), r.text());
                types = MetricsScrape.types(r.text());
                Map<String, String> declared = types;
                missing = new TreeSet<>(wanted.stream().filter(s -> !MetricsScrape.declares(declared, s)).toList());
                if (missing.isEmpty()) {
                    Optional<Promtool> promtool = Promtool.find();
                    if (promtool.isPresent()) {
                        promtool.get().run(r.text(), "check", "metrics");
                    }
                    return;
                }
                Thread.sleep(500);
            }
            fail("the live scrape has no family for " + missing + "; it declares " + types);
        }
    }

    /** ffmpeg publishing under a name the server refuses; it gives up at once. */
    private static void publishRefused(LiveFixture live) throws InterruptedException {
        String url = "rtmp://127.0.0.1:" + live.server().rtmpPort() + "/" + LiveFixture.APP + "/bad!name";
        Path log = Processes.targetDir("e2e-logs").resolve("publish-refused.log");
        FfmpegPublisher refused = FfmpegPublisher.start(url, FfmpegPublisher.Profile.ZEROLATENCY, log, "320x180");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (refused.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        refused.stop();
    }

    static Set<String> families(Set<String> seriesNames) {
        Set<String> out = new TreeSet<>();
        seriesNames.forEach(s -> out.add(PromQlMetricNames.family(s, HISTOGRAMS_AND_SUMMARIES)));
        return out;
    }

    private static void assertPrometheus(JsonNode datasource, String what) {
        assertEquals("prometheus", datasource.path("type").asText(), what + ": datasource type");
        assertEquals("${DS_PROMETHEUS}", datasource.path("uid").asText(), what + ": datasource uid");
    }

    private static Promtool promtoolOrSkip() {
        Optional<Promtool> promtool = Promtool.find();
        Assumptions.assumeTrue(promtool.isPresent(), "promtool is not on PATH (apt-get install -y prometheus)");
        return promtool.get();
    }
}
