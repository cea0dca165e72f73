package io.estuary.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {

    @Test
    void functionsLabelsRangesGroupingAndNumbersAreNotMetrics() {
        assertEquals(Set.of("x_seconds_bucket"), PromQlMetricNames.seriesNames(
                "histogram_quantile(0.99, sum by (le, route) (rate(x_seconds_bucket{route=~\"media|api\", "
                        + "instance=~\"$instance\"}[$__rate_interval])))"));
        assertEquals(Set.of("a_total", "b_total"), PromQlMetricNames.seriesNames(
                "sum without (status) (rate(a_total{status=~\"5..\"}[5m])) / on (instance) group_left "
                        + "sum(rate(b_total[5m] offset 1h)) > bool 1.5e3 or vector(0)"));
        assertEquals(Set.of("m_2xx_total"), PromQlMetricNames.seriesNames("rate(m_2xx_total[1m]) * 8"));
        assertEquals(Set.of("up"), PromQlMetricNames.seriesNames("up{job=\"estuary\"} == 0"));
    }

    @Test
    void labelValuesSelectsItsMetricOnly() {
        assertEquals(Set.of("p_connected"),
                PromQlMetricNames.variableQueryNames("label_values(p_connected{app=~\"$app\"}, stream)"));
        assertEquals(Set.of(), PromQlMetricNames.variableQueryNames("label_values(app)"));
    }

    @Test
    void histogramSeriesBelongToTheirFamilyCountersKeepTotal() {
        Set<String> histograms = Set.of("lat_seconds");
        assertEquals("lat_seconds", PromQlMetricNames.family("lat_seconds_bucket", histograms));
        assertEquals("lat_seconds", PromQlMetricNames.family("lat_seconds_count", histograms));
        assertEquals("frames_count", PromQlMetricNames.family("frames_count", histograms));
        assertEquals("bytes_total", PromQlMetricNames.family("bytes_total", histograms));
    }

    @Test
    void scrapeDeclaresCountersEitherWayAndHistogramSeries() {
        Map<String, String> types = MetricsScrape.types("""
                # HELP a_total A counter.
                # TYPE a_total counter
                a_total 1.0
                # TYPE b counter
                b_total 2.0
                # TYPE lat_seconds histogram
                lat_seconds_bucket{le="+Inf"} 1
                # TYPE gc_seconds summary
                """);
        assertTrue(MetricsScrape.declares(types, "a_total"));
        assertTrue(MetricsScrape.declares(types, "b_total"));
        assertTrue(MetricsScrape.declares(types, "lat_seconds_bucket"));
        assertTrue(MetricsScrape.declares(types, "lat_seconds_sum"));
        assertTrue(MetricsScrape.declares(types, "gc_seconds_count"));
        assertFalse(MetricsScrape.declares(types, "gc_seconds_bucket"));
        assertFalse(MetricsScrape.declares(types, "c_total"));
    }
}
