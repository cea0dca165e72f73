package io.estuary.packager.hls;

/**
 * The delivery directives of a media playlist request (RFC 8216bis 6.2.5): {@code _HLS_msn}, {@code _HLS_part},
 * {@code _HLS_skip}. Other query parameters are ignored (tokens, cache busters).
 *
 * @param msn  {@code _HLS_msn}, or null
 * @param part {@code _HLS_part}, or null; never set without {@code msn}
 * @param skip {@code _HLS_skip}, {@link SkipMode#NONE} when absent
 */
public record PlaylistQuery(Long msn, Long part, SkipMode skip) {

    public static final PlaylistQuery NONE = new PlaylistQuery(null, null, SkipMode.NONE);

    public PlaylistQuery {
        if (skip == null) {
            skip = SkipMode.NONE;
        }
        if (part != null && msn == null) {
            throw new IllegalArgumentException("_HLS_part without _HLS_msn");
        }
        if (msn != null && msn < 0 || part != null && part < 0) {
            throw new IllegalArgumentException("_HLS_msn and _HLS_part must not be negative");
        }
    }

    /** Any delivery directive: the response is cacheable under its full URL. */
    public boolean hasDirectives() {
        return msn != null || skip != SkipMode.NONE;
    }

    /**
     * Parses a raw query string (without the {@code ?}; null or empty for none).
     *
     * @throws IllegalArgumentException saying why the directives are invalid: {@code _HLS_part} without
     *                                  {@code _HLS_msn}, a value that is not a non-negative integer, an unknown
     *                                  {@code _HLS_skip} value, a repeated directive
     */
    public static PlaylistQuery parse(String rawQueryString) {
        if (rawQueryString == null || rawQueryString.isEmpty()) {
            return NONE;
        }
        Long msn = null;
        Long part = null;
        SkipMode skip = null;
        for (String pair : rawQueryString.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            switch (name) {
                case "_HLS_msn" -> {
                    if (msn != null) {
                        throw new IllegalArgumentException("_HLS_msn given twice");
                    }
                    msn = parseNumber(name, value);
                }
                case "_HLS_part" -> {
                    if (part != null) {
                        throw new IllegalArgumentException("_HLS_part given twice");
                    }
                    part = parseNumber(name, value);
                }
                case "_HLS_skip" -> {
                    if (skip != null) {
                        throw new IllegalArgumentException("_HLS_skip given twice");
                    }
                    skip = switch (value) {
                        case "YES" -> SkipMode.YES;
                        case "v2" -> SkipMode.V2;
                        default -> throw new IllegalArgumentException(
                                "_HLS_skip must be YES or v2: '" + abbreviate(value) + "'");
                    };
                }
                default -> {
                    // not a delivery directive of ours: ignored
                }
            }
        }
        if (part != null && msn == null) {
            throw new IllegalArgumentException("_HLS_part without _HLS_msn");
        }
        if (msn == null && skip == null) {
            return NONE;
        }
        return new PlaylistQuery(msn, part, skip);
    }

    private static long parseNumber(String name, String value) {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(name + " must be a non-negative integer: '" + abbreviate(value) + "'");
        }
        return Long.parseLong(value);
    }

    private static String abbreviate(String value) {
        return value.length() <= 32 ? value : value.substring(0, 32) + "...";
    }
}
