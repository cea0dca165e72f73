package io.estuary.server.e2e.support;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SegmentTemplate@media / @initialization expansion (ISO/IEC 23009-1 §5.3.9.4.4, table 16): {@code $$},
 * {@code $RepresentationID$}, {@code $Number$}, {@code $Bandwidth$}, {@code $Time$}, the last three optionally
 * with a {@code %0[width]d} format tag.
 */
public final class MpdTemplate {

    private static final Pattern IDENTIFIER = Pattern.compile("\\$([A-Za-z]*)(%0(\\d+)d)?\\$");
    /** Identifiers that may carry a format tag; RepresentationID may not (its value is a string). */
    private static final Set<String> FORMATTABLE = Set.of("Number", "Bandwidth", "Time");

    private MpdTemplate() {
    }

    /**
     * Expands {@code template}. {@code number} and {@code time} null mean "not allowed here" (the initialization
     * template has no segment): their identifiers then fail, as do unknown identifiers and a lone {@code $}.
     */
    public static String expand(String template, String representationId, long bandwidth, Long number, Long time) {
        StringBuilder out = new StringBuilder();
        Matcher m = IDENTIFIER.matcher(template);
        int at = 0;
        while (m.find()) {
            out.append(literal(template, template.substring(at, m.start())));
            String name = m.group(1);
            String width = m.group(3);
            if (width != null && !FORMATTABLE.contains(name)) {
                throw new IllegalArgumentException("'" + template + "': $" + name + "$ takes no format tag");
            }
            switch (name) {
                case "" -> out.append('$');
                case "RepresentationID" -> out.append(representationId);
                case "Bandwidth" -> out.append(format(bandwidth, width));
                case "Number" -> out.append(format(require(number, "Number", template), width));
                case "Time" -> out.append(format(require(time, "Time", template), width));
                default -> throw new IllegalArgumentException("'" + template + "': unknown identifier $" + name + "$");
            }
            at = m.end();
        }
        out.append(literal(template, template.substring(at)));
        return out.toString();
    }

    /** Whether {@code template} uses {@code $Number$} (with or without a format tag). */
    public static boolean usesNumber(String template) {
        Matcher m = IDENTIFIER.matcher(template);
        while (m.find()) {
            if ("Number".equals(m.group(1))) {
                return true;
            }
        }
        return false;
    }

    private static String literal(String template, String text) {
        if (text.indexOf('$') >= 0) {
            throw new IllegalArgumentException("'" + template + "': unpaired $ (write $$ for a literal dollar)");
        }
        return text;
    }

    private static long require(Long value, String name, String template) {
        if (value == null) {
            throw new IllegalArgumentException("'" + template + "': $" + name + "$ is not allowed here");
        }
        return value;
    }

    private static String format(long value, String width) {
        return width == null ? Long.toString(value) : String.format(Locale.ROOT, "%0" + width + "d", value);
    }
}
