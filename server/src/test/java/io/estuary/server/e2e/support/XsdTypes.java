package io.estuary.server.e2e.support;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The XML Schema value types an MPD uses (xs:dateTime, xs:duration, xs:boolean), parsed strictly enough to catch
 * what a player would choke on. Each parser throws {@link IllegalArgumentException} with a readable message.
 */
public final class XsdTypes {

    /**
     * xs:duration: PnYnMnDTnHnMnS, each part optional but at least one present, no dangling T. java.time.Duration
     * refuses years and months and some encoders write {@code P0Y0M0DT0H0M2.000S}, hence this parser.
     */
    private static final Pattern DURATION = Pattern.compile(
            "(-)?P(?:(\\d+)Y)?(?:(\\d+)M)?(?:(\\d+)D)?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+(?:\\.\\d+)?)S)?)?");

    private XsdTypes() {
    }

    /**
     * xs:dateTime with a time zone. The type allows a value without one, but then its instant is undefined and
     * players differ (dash.js reads it as UTC, a JavaScript Date as local time), so a value without is refused.
     */
    public static Instant dateTime(String value) {
        if (value == null) {
            throw new IllegalArgumentException("missing xs:dateTime");
        }
        try {
            return OffsetDateTime.parse(value.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not an xs:dateTime with a time zone"
                    + " (like 2026-11-24T10:00:00.123Z)");
        }
    }

    /**
     * xs:duration in seconds. Years and months have no fixed length; they are counted as 365 and 30 days, which
     * is irrelevant for the durations of a live MPD (seconds to hours).
     */
    public static double durationSeconds(String value) {
        if (value == null) {
            throw new IllegalArgumentException("missing xs:duration");
        }
        String v = value.trim();
        Matcher m = DURATION.matcher(v);
        if (!m.matches() || v.endsWith("P") || v.endsWith("T")) {
            throw new IllegalArgumentException("'" + value + "' is not an xs:duration (like PT2S or PT0.5S)");
        }
        double seconds = part(m.group(2)) * 365 * 86400 + part(m.group(3)) * 30 * 86400 + part(m.group(4)) * 86400
                + part(m.group(5)) * 3600 + part(m.group(6)) * 60 + part(m.group(7));
        return m.group(1) != null ? -seconds : seconds;
    }

    /** xs:boolean: true, false, 1, 0 (nothing else, not even TRUE). */
    public static boolean bool(String value) {
        if ("true".equals(value) || "1".equals(value)) {
            return true;
        }
        if ("false".equals(value) || "0".equals(value)) {
            return false;
        }
        throw new IllegalArgumentException("'" + value + "' is not an xs:boolean (true, false, 1, 0)");
    }

    /** xs:double as the MPD uses it (availabilityTimeOffset may be INF). */
    public static double dbl(String value) {
        if ("INF".equals(value)) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("'" + value + "' is not an xs:double");
        }
    }

    /** A non-negative integer (xs:unsignedInt, xs:unsignedLong). */
    public static long unsigned(String value) {
        try {
            long v = Long.parseLong(value.trim());
            if (v < 0) {
                throw new IllegalArgumentException("'" + value + "' is negative");
            }
            return v;
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("'" + value + "' is not an unsigned integer");
        }
    }

    private static double part(String group) {
        return group == null ? 0 : Double.parseDouble(group);
    }
}
