package io.estuary.server.metrics;

import java.util.Map;
import java.util.TreeMap;

/** What a Prometheus text-format scrape declares: its {@code # TYPE name type} lines. */
final class MetricsScrape {

    private MetricsScrape() {
    }

    /** Family name to type ({@code counter}, {@code gauge}, {@code histogram}, {@code summary}, ...). */
    static Map<String, String> types(String scrape) {
        Map<String, String> types = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 4) {
                    types.put(parts[2], parts[3]);
                }
            }
        }
        return types;
    }

    /**
     * Whether a family declared in the scrape produces the series a query names: the family itself; a counter
     * declared without its {@code _total} (the OpenMetrics way); the buckets of a histogram; the sum and count of a
     * histogram or summary.
     */
    static boolean declares(Map<String, String> types, String seriesName) {
        if (types.containsKey(seriesName)) {
            return true;
        }
        if (seriesName.endsWith("_total") && "counter".equals(types.get(strip(seriesName, "_total")))) {
            return true;
        }
        if (seriesName.endsWith("_bucket")) {
            return "histogram".equals(types.get(strip(seriesName, "_bucket")));
        }
        for (String suffix : new String[] {"_sum", "_count"}) {
            if (seriesName.endsWith(suffix)) {
                String type = types.get(strip(seriesName, suffix));
                if ("histogram".equals(type) || "summary".equals(type)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String strip(String name, String suffix) {
        return name.substring(0, name.length() - suffix.length());
    }
}
