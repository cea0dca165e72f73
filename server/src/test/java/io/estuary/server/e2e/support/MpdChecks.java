package io.estuary.server.e2e.support;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/** The UTCTiming, ServiceDescription, AdaptationSet and Representation checks of {@link MpdValidator}. */
final class MpdChecks {

    /** FrameRateType of the schema: an integer or a fraction with a non-zero denominator. */
    private static final Pattern FRAME_RATE = Pattern.compile("[0-9]+(/[1-9][0-9]*)?");
    /** AudioSamplingRateType: one or two unsigned integers. */
    private static final Pattern SAMPLING_RATE = Pattern.compile("[0-9]+( [0-9]+)?");
    /** StringNoWhitespaceType (Representation@id also appears in URLs through $RepresentationID$). */
    private static final Pattern NO_WHITESPACE = Pattern.compile("[^\\r\\n\\t \\p{Z}]+");

    private MpdChecks() {
    }

    /**
     * The AdaptationSet's media type (video, audio) from contentType, else mimeType's top-level type; null (and a
     * problem) when neither says. This server only produces video and audio, so anything else is a problem.
     */
    static String adaptationSetType(Element as, String where, List<String> problems) {
        String contentType = MpdDom.attr(as, "contentType");
        String mimeType = MpdDom.attr(as, "mimeType");
        String type = contentType != null ? contentType
                : mimeType != null && mimeType.contains("/") ? mimeType.substring(0, mimeType.indexOf('/')) : null;
        if (type == null) {
            problems.add(where + ": neither contentType nor mimeType says what it carries");
            return null;
        }
        if (!type.equals("video") && !type.equals("audio")) {
            problems.add(where + ": carries " + type + ", expected video or audio");
        }
        if (contentType != null && mimeType != null && !mimeType.startsWith(contentType + "/")) {
            problems.add(where + ": contentType " + contentType + " contradicts mimeType " + mimeType);
        }
        return type;
    }

    /** Checks one Representation's attributes (inheriting from its AdaptationSet); answers its bandwidth (0 if bad). */
    static long representation(Element rep, Element as, String type, String where, List<String> problems) {
        String id = MpdDom.attr(rep, "id");
        if (id == null) {
            problems.add(where + ": no id");
        } else if (!NO_WHITESPACE.matcher(id).matches()) {
            problems.add(where + ": id '" + id + "' is empty or contains white space");
        }
        Long bandwidth = unsigned(rep, "bandwidth", where, true, problems);
        if (bandwidth != null && bandwidth == 0) {
            problems.add(where + ": bandwidth is 0");
        }
        if (MpdDom.inherited("codecs", rep, as) == null) {
            problems.add(where + ": no codecs (on it or its AdaptationSet)");
        }
        String mimeType = MpdDom.inherited("mimeType", rep, as);
        if (mimeType == null) {
            problems.add(where + ": no mimeType (on it or its AdaptationSet)");
        } else if (type != null && !mimeType.startsWith(type + "/")) {
            problems.add(where + ": mimeType " + mimeType + " in a " + type + " AdaptationSet");
        }
        if ("video".equals(type)) {
            for (String name : List.of("width", "height")) {
                String v = MpdDom.inherited(name, rep, as);
                if (v == null) {
                    problems.add(where + ": no " + name + " (on it or its AdaptationSet)");
                } else if (!v.matches("[1-9][0-9]*")) {
                    problems.add(where + ": " + name + " '" + v + "' is not a positive integer");
                }
            }
            String frameRate = MpdDom.inherited("frameRate", rep, as);
            if (frameRate == null) {
                problems.add(where + ": no frameRate (on it or its AdaptationSet)");
            } else if (!FRAME_RATE.matcher(frameRate).matches()) {
                problems.add(where + ": frameRate '" + frameRate + "' is not N or N/D");
            }
        }
        if ("audio".equals(type)) {
            String rate = MpdDom.inherited("audioSamplingRate", rep, as);
            if (rate == null) {
                problems.add(where + ": no audioSamplingRate (on it or its AdaptationSet)");
            } else if (!SAMPLING_RATE.matcher(rate).matches()) {
                problems.add(where + ": audioSamplingRate '" + rate + "' is not an unsigned integer");
            }
        }
        return bandwidth == null ? 0 : bandwidth;
    }

    /** The usable UTCTiming URLs (http-xsdate, http-iso); a problem when there is none. */
    static List<URI> utcTiming(Element mpd, String ns, List<String> problems) {
        List<URI> timingUrls = new ArrayList<>();
        boolean usable = false;
        for (Element timing : MpdDom.children(mpd, ns, "UTCTiming")) {
            String scheme = MpdDom.attr(timing, "schemeIdUri");
            String value = MpdDom.attr(timing, "value");
            if (!MpdValidator.HTTP_UTC_SCHEMES.contains(scheme)) {
                continue;
            }
            if (value == null || value.isBlank()) {
                problems.add("MPD/UTCTiming[" + scheme + "]: no @value");
                continue;
            }
            // @value may list several URLs separated by white space
            for (String token : value.trim().split("\\s+")) {
                URI uri = absoluteHttp(token);
                if (uri == null) {
                    problems.add("MPD/UTCTiming[" + scheme + "]: '" + token + "' is not an absolute http(s) URL");
                } else {
                    timingUrls.add(uri);
                    usable = true;
                }
            }
        }
        if (!usable) {
            problems.add("MPD: no UTCTiming with " + MpdValidator.HTTP_UTC_SCHEMES + " and an absolute http(s) URL"
                    + " (without one, dash.js asks https://time.akamai.com and Shaka trusts the local clock)");
        }
        return timingUrls;
    }

    /** Latency (ms) and PlaybackRate bounds, and a Scope dash.js would ignore the ServiceDescription for. */
    static void serviceDescription(Element sd, String ns, String where, List<String> problems) {
        MpdDom.checkOrder(sd, ns, where, problems);
        for (Element scope : MpdDom.children(sd, ns, "Scope")) {
            String scheme = MpdDom.attr(scope, "schemeIdUri");
            if (!MpdValidator.DVB_LL_SCOPE.equals(scheme)) {
                problems.add(where + ": Scope " + scheme + " (dash.js 5 ignores a ServiceDescription whose Scope is"
                        + " not " + MpdValidator.DVB_LL_SCOPE + ")");
            }
        }
        List<Element> latencies = MpdDom.children(sd, ns, "Latency");
        if (latencies.isEmpty()) {
            problems.add(where + ": no Latency");
        }
        for (Element latency : latencies) {
            String lw = where + "/Latency";
            Long target = unsigned(latency, "target", lw, true, problems);
            Long min = unsigned(latency, "min", lw, false, problems);
            Long max = unsigned(latency, "max", lw, false, problems);
            if (target != null && target < 100) {
                problems.add(lw + ": target " + target + " ms is implausible (Latency is in milliseconds)");
            }
            if (min != null && target != null && min > target) {
                problems.add(lw + ": min " + min + " ms > target " + target + " ms");
            }
            if (max != null && target != null && target > max) {
                problems.add(lw + ": target " + target + " ms > max " + max + " ms");
            }
            if (min != null && max != null && min > max) {
                problems.add(lw + ": min " + min + " ms > max " + max + " ms");
            }
        }
        List<Element> rates = MpdDom.children(sd, ns, "PlaybackRate");
        if (rates.isEmpty()) {
            problems.add(where + ": no PlaybackRate");
        }
        for (Element rate : rates) {
            String rw = where + "/PlaybackRate";
            Double min = number(rate, "min", rw, problems);
            Double max = number(rate, "max", rw, problems);
            if (min != null && (min <= 0 || min > 1)) {
                problems.add(rw + ": min " + min + " is not in (0, 1]");
            }
            if (max != null && max < 1) {
                problems.add(rw + ": max " + max + " is below 1");
            }
        }
    }

    /** An unsigned integer attribute; null (with a problem if required or malformed) when unusable. */
    static Long unsigned(Element e, String name, String where, boolean required, List<String> problems) {
        return attribute(e, name, where, required, problems, XsdTypes::unsigned);
    }

    /**
     * An attribute read with one of the {@link XsdTypes} parsers: null when absent (a problem if {@code required})
     * or when the parser refuses it (a problem naming the attribute and the parser's message).
     */
    static <T> T attribute(Element e, String name, String where, boolean required, List<String> problems,
                           Function<String, T> parse) {
        String v = MpdDom.attr(e, name);
        if (v == null) {
            if (required) {
                problems.add(where + ": no @" + name);
            }
            return null;
        }
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException x) {
            problems.add(where + ": @" + name + " " + x.getMessage());
            return null;
        }
    }

    private static Double number(Element e, String name, String where, List<String> problems) {
        return attribute(e, name, where, true, problems, XsdTypes::dbl);
    }

    private static URI absoluteHttp(String s) {
        try {
            URI u = new URI(s);
            boolean http = "http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme());
            return http && u.getHost() != null ? u : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
