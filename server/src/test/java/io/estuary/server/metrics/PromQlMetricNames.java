package io.estuary.server.metrics;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, found without a PromQL parser: strings, label matchers, ranges and
 * grouping clauses are cut out, and what is left that looks like an identifier and is not a function, a keyword or
 * a number is a metric name. Good enough for dashboards and alert rules, which is all it is for.
 */
final class PromQlMetricNames {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");
    private static final Pattern NUMBER_PREFIXED = Pattern.compile("(?<![a-zA-Z0-9_:])[0-9.][a-zA-Z0-9_.]*");
    private static final Set<String> KEYWORDS = Set.of(
            "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left",
            "group_right", "inf", "nan", "atan2");
    /** Grafana's {@code label_values(metric, label)}: only its first argument selects series. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);

    private PromQlMetricNames() {
    }

    /** The series names {@code expr} selects, as written ({@code x_bucket} stays {@code x_bucket}). */
    static Set<String> seriesNames(String expr) {
        String s = STRING.matcher(expr).replaceAll(" ");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        s = GRAFANA_VARIABLE.matcher(s).replaceAll(" ");
        s = NUMBER_PREFIXED.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            boolean call = m.group(1) != null;
            String word = m.group().replaceAll("\\s*\\($", "");
            if (!call && !KEYWORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    /**
     * The series names a Grafana variable query selects: {@code label_values(metric{...}, label)} selects
     * {@code metric}, {@code label_values(label)} selects nothing, anything else is PromQL.
     */
    static Set<String> variableQueryNames(String query) {
        Matcher m = LABEL_VALUES.matcher(query);
        if (!m.matches()) {
            return seriesNames(query);
        }
        String args = STRING.matcher(m.group(1)).replaceAll("\"\"");
        args = MATCHERS.matcher(args).replaceAll("{}");
        int comma = args.lastIndexOf(',');
        return comma < 0 ? Set.of() : seriesNames(args.substring(0, comma));
    }

    /**
     * The metric family a series name belongs to: histogram and summary series ({@code _bucket}, {@code _sum},
     * {@code _count}) belong to their base name; counters keep {@code _total}, as the contract names them.
     */
    static String family(String seriesName, Set<String> histogramsAndSummaries) {
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (seriesName.endsWith(suffix)) {
                String base = seriesName.substring(0, seriesName.length() - suffix.length());
                if (histogramsAndSummaries.contains(base)) {
                    return base;
                }
            }
        }
        return seriesName;
    }
}
