package io.estuary.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.estuary.server.e2e.support.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The monitoring files under the repository's {@code conf/}: the Grafana dashboard and the Prometheus rules. */
final class MonitoringConf {

    static final Path REPO = Processes.moduleDir().toAbsolutePath().getParent();
    static final Path DASHBOARD = REPO.resolve("conf/grafana/estuary-dashboard.json");
    static final Path PROMETHEUS = REPO.resolve("conf/prometheus");
    static final Path ALERTS = PROMETHEUS.resolve("estuary-alerts.yml");

    private MonitoringConf() {
    }

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

    /** A variable's query: a string, or (Grafana 10+) an object holding it. */
    static String variableQuery(JsonNode variable) {
        JsonNode q = variable.path("query");
        return q.isObject() ? q.path("query").asText() : q.asText();
    }

    /** The series names every panel target and every query variable of the dashboard select. */
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

    /** The series names the {@code expr:} values of the rules select, one line or a YAML block ({@code >-}) each. */
    static Set<String> alertSeriesNames() throws IOException {
        Set<String> names = new TreeSet<>();
        List<String> lines = Files.readAllLines(ALERTS);
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
        if (names.isEmpty()) {
            throw new AssertionError("no expr found in " + ALERTS);
        }
        return names;
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }
}
