package io.estuary.transcoder.ladder;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bit rates as people write them in config: {@code 2800k}, {@code 2.8M}, {@code 128000}. Decimal prefixes (k = 1000),
 * as encoders and HLS BANDWIDTH count, unlike Typesafe Config's byte sizes (k = 1024).
 */
public final class BitRate {

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmM]?)(?:bps|bit/s)?");
    private static final long MAX = 1_000_000_000L;

    private BitRate() {
    }

    /** Bits per second; fails naming the rule when the text is not a positive rate of at most 1 Gbit/s. */
    public static int parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a bit rate (like 2800k, 2.8M or 128000): '" + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        double scaled = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> value * 1e3;
            case "m" -> value * 1e6;
            default -> value;
        };
        long bps = Math.round(scaled);
        if (bps <= 0 || bps > MAX) {
            throw new IllegalArgumentException("must be between 1 bit/s and 1 Gbit/s: '" + text + "'");
        }
        return (int) bps;
    }

    /** The shortest exact form: {@code 2800k}, {@code 128000} when not a whole number of kbit/s. */
    public static String format(int bps) {
        if (bps % 1_000_000 == 0) {
            return bps / 1_000_000 + "M";
        }
        return bps % 1000 == 0 ? bps / 1000 + "k" : Integer.toString(bps);
    }
}
