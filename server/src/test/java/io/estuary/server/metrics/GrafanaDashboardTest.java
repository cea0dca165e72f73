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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
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
            // prometheus-metrics-instrumentation-jvm 1.x (JvmMemoryMetrics, JvmGarbageCollectorMetrics,
            // JvmThreadsMetrics, ProcessMetrics; process_resident_memory_bytes only on Linux)
            "jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
            "jvm_memory_pool_used_bytes", "jvm_gc_collection_seconds",
            "jvm_threads_current", "jvm_threads_daemon", "jvm_threads_peak", "jvm_threads_state",
            "process_cpu_seconds_total", "process_open_fds", "process_max_fds",
            "process_resident_memory_bytes", "process_start_time_seconds");

    /** Series Prometheus makes itself for every target; alert rules may use them. */
    static final Set<String> SYNTHETIC = Set.of("up");

    static final Path REPO = Processes.moduleDir().toAbsolutePath().getParent();
    static final Path DASHBOARD = REPO.resolve("conf/grafana/estuary-dashboard.json");
    static final Path PROMETHEUS = REPO.resolve("conf/prometheus");

    @Test
    void dashboardIsImportable() throws IOException {
        JsonNode d = dashboard();
        JsonNode input = d.path("__inputs").path(0);
        assertEquals("DS_PROMETHEUS", input.path("name").asText());
        assertEquals("datasource", input.path("type").asText());
        assertEquals("prometheus", input.path("pluginId").asText());
        assertFalse(d.path("uid").asText().isBlank(), "uid");
        assertFalse(d.path("title").asText().isBlank(), "title");
        assertEquals(39, d.path("schemaVersion").asInt());
        Map<String, JsonNode> variables = new TreeMap<>();
        d.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertEquals("label_values(estuary_ingest_publisher_connected, app)", variableQuery(variables.get("app")));
        assertEquals("label_values(estuary_ingest_publisher_connected{app=~\"$app\"}, stream)",
                variableQuery(variables.get("stream")));
        for (JsonNode v : variables.values()) {
            assertTrue(v.path("multi").asBoolean() && v.path("includeAll").asBoolean(), v.path("name") + " multi/all");
            assertPrometheus(v.path("datasource"), "variable " + v.path("name"));
        }
    }

    @Test
    void everyPanelHasAPlaceADatasourceAUnitAndQueries() throws IOException {
        Set<Integer> ids = new HashSet<>();
        List<JsonNode> panels = panels(dashboard());
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
        Set<String> families = families(dashboardSeriesNames());
        assertTrue(families.contains("estuary_packager_part_latency_seconds"), "sanity: " + families);
        Set<String> unknown = new TreeSet<>(families);
        unknown.removeAll(CONTRACT);
        assertEquals(Set.of(), unknown, "metrics the dashboard queries that the contract does not name");
    }

    @Test
    void alertRulesUseOnlyContractMetrics() throws IOException {
        Set<String> unknown = new TreeSet<>(families(alertSeriesNames()));
        unknown.removeAll(CONTRACT);
        unknown.removeAll(SYNTHETIC);
        assertEquals(Set.of(), unknown, "metrics the alert rules query that the contract does not name");
    }

    @Test
    void promtoolAcceptsTheRulesTheirTestsAndTheScrapeConfig() throws Exception {
        Path promtool = onPath("promtool");
        Assumptions.assumeTrue(promtool != null, "promtool is not on PATH (apt-get install -y prometheus)");
        promtool(promtool, null, "check", "rules", "estuary-alerts.yml");
        promtool(promtool, null, "test", "rules", "estuary-alerts.test.yml");
        promtool(promtool, null, "check", "config", "prometheus.yml");
    }

    /** promtool parses every panel query, written as a recording rule with Grafana's variables filled in. */
    @Test
    void everyPanelQueryIsValidPromQl() throws Exception {
        Path promtool = onPath("promtool");
        Assumptions.assumeTrue(promtool != null, "promtool is not on PATH (apt-get install -y prometheus)");
        ObjectMapper json = new ObjectMapper();
        ArrayNode rules = json.createArrayNode();
        for (JsonNode p : panels(dashboard())) {
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
        promtool(promtool, null, "check", "rules", out.toString());
    }

    /**
     * A live server with a publisher (and one refused publish, so the refusal counter has a series) serves every
     * family the dashboard and the rules ask for. Per-stream series only exist while the stream is live, and some
     * gauges only after a measurement, so the scrape is retried for a while.
     */
    @Test
    @Tag("e2e")
    void aLiveServerExposesEveryMetricTheDashboardAndRulesUse() throws Exception {
        Set<String> wanted = new TreeSet<>(dashboardSeriesNames());
        wanted.addAll(alertSeriesNames());
        wanted.removeAll(SYNTHETIC);
        try (LiveFixture live = LiveFixture.start("grafana", FfmpegPublisher.Profile.ZEROLATENCY)) {
            live.awaitSegments(2, Duration.ofSeconds(30));
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
                    Path promtool = onPath("promtool");
                    if (promtool != null) {
                        promtool(promtool, r.text(), "check", "metrics");
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

    // --- reading the files ------------------------------------------------------------------------------------

    static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }

    /** Every panel, rows included, with the panels of collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    static String variableQuery(JsonNode variable) {
        JsonNode q = variable.path("query");
        return q.isObject() ? q.path("query").asText() : q.asText();
    }

    static Set<String> dashboardSeriesNames() throws IOException {
        JsonNode d = dashboard();
        Set<String> names = new TreeSet<>();
        for (JsonNode p : panels(d)) {
            p.path("targets").forEach(t -> names.addAll(PromQlMetricNames.seriesNames(t.path("expr").asText())));
        }
        for (JsonNode v : d.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                names.addAll(PromQlMetricNames.variableQueryNames(variableQuery(v)));
            }
        }
        return names;
    }

    /** The {@code expr:} values of the rules file, one line or a YAML block ({@code >-}, {@code |}) each. */
    static Set<String> alertSeriesNames() throws IOException {
        Set<String> names = new TreeSet<>();
        List<String> lines = Files.readAllLines(PROMETHEUS.resolve("estuary-alerts.yml"));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int at = line.indexOf("expr:");
            if (at < 0 || !line.substring(0, at).isBlank()) {
                continue;
            }
            StringBuilder expr = new StringBuilder(line.substring(at + "expr:".length()).trim());
            if (expr.toString().matches("[>|][-+]?")) {
                expr.setLength(0);
                while (i + 1 < lines.size() && (lines.get(i + 1).isBlank() || indent(lines.get(i + 1)) > at)) {
                    expr.append(lines.get(++i)).append('\n');
                }
            }
            names.addAll(PromQlMetricNames.seriesNames(expr.toString()));
        }
        assertFalse(names.isEmpty(), "no expr found in the rules");
        return names;
    }

    static Set<String> families(Set<String> seriesNames) {
        Set<String> out = new TreeSet<>();
        seriesNames.forEach(s -> out.add(PromQlMetricNames.family(s, HISTOGRAMS_AND_SUMMARIES)));
        return out;
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static void assertPrometheus(JsonNode datasource, String what) {
        assertEquals("prometheus", datasource.path("type").asText(), what + ": datasource type");
        assertEquals("${DS_PROMETHEUS}", datasource.path("uid").asText(), what + ": datasource uid");
    }

    private static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir).resolve(command);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs promtool in conf/prometheus, {@code stdin} (if any) as its input; fails with its output. */
    private static void promtool(Path promtool, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
    }
}
