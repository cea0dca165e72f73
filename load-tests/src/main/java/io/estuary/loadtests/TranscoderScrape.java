package io.estuary.loadtests;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transcoder's series in one scrape of {@code /metrics} (Prometheus text), per stream, and a window of scrapes:
 * the extremes of the gauges (speed, lag, shedding level; sampled once a second, so a spike between two scrapes
 * goes unseen, though the drops it causes do not) and the change of the counters (frames, dropped frames).
 */
final class TranscoderScrape {
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final String PREFIX = "estuary_transcoder_";

    /** One stream's series in one scrape; per-rendition maps keyed by rendition name, in scrape order. */
    record StreamState(double speed, double lagSeconds, double shedding, Map<String, Double> fps,
            Map<String, Double> frames, Map<String, Double> dropped) {
    }

    private final int sessions;
    private final Map<String, StreamState> streams;

    private TranscoderScrape(int sessions, Map<String, StreamState> streams) {
        this.sessions = sessions;
        this.streams = streams;
    }

    /** Reads {@code estuary_transcoder_*} from an exposition; streams keyed "app/name". */
    static TranscoderScrape parse(String exposition) {
        int sessions = 0;
        Map<String, Map<String, Double>> gauges = new TreeMap<>(); // stream -> series name -> value
        Map<String, Map<String, Map<String, Double>>> perRendition = new TreeMap<>(); // stream -> series -> rendition
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(PREFIX)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = line.substring(PREFIX.length(), brace >= 0 ? brace : line.indexOf(' '));
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            if (name.equals("sessions")) {
                sessions = (int) value;
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (brace >= 0) {
                Matcher m = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            }
            String stream = labels.get("app") + "/" + labels.get("stream");
            String rendition = labels.get("rendition");
            if (rendition == null) {
                gauges.computeIfAbsent(stream, k -> new HashMap<>()).put(name, value);
            } else {
                perRendition.computeIfAbsent(stream, k -> new HashMap<>())
                        .computeIfAbsent(name, k -> new LinkedHashMap<>()).put(rendition, value);
            }
        }
        Map<String, StreamState> streams = new TreeMap<>();
        for (Map.Entry<String, Map<String, Double>> e : gauges.entrySet()) {
            Map<String, Double> g = e.getValue();
            Map<String, Map<String, Double>> r = perRendition.getOrDefault(e.getKey(), Map.of());
            streams.put(e.getKey(), new StreamState(g.getOrDefault("speed_ratio", Double.NaN),
                    g.getOrDefault("lag_seconds", Double.NaN), g.getOrDefault("shedding_level", Double.NaN),
                    r.getOrDefault("frames_per_second", Map.of()), r.getOrDefault("frames_total", Map.of()),
                    r.getOrDefault("dropped_frames_total", Map.of())));
        }
        return new TranscoderScrape(sessions, streams);
    }

    int sessions() {
        return sessions;
    }

    Map<String, StreamState> streams() {
        return streams;
    }

    /** A stream over a window of scrapes. */
    static final class StreamWindow {
        private final StreamState first;
        private StreamState last;
        private double minSpeed = Double.POSITIVE_INFINITY;
        private double sumSpeed;
        private double maxLag;
        private double maxShedding;
        private int samples;
        private final Map<String, Double> sumFps = new LinkedHashMap<>();

        StreamWindow(StreamState first) {
            this.first = first;
            this.last = first;
        }

        void add(StreamState s) {
            last = s;
            samples++;
            minSpeed = Math.min(minSpeed, s.speed());
            sumSpeed += s.speed();
            maxLag = Math.max(maxLag, s.lagSeconds());
            maxShedding = Math.max(maxShedding, s.shedding());
            s.fps().forEach((r, v) -> sumFps.merge(r, v, Double::sum));
        }

        int samples() {
            return samples;
        }

        double minSpeed() {
            return samples == 0 ? Double.NaN : minSpeed;
        }

        double meanSpeed() {
            return samples == 0 ? Double.NaN : sumSpeed / samples;
        }

        double maxLag() {
            return maxLag;
        }

        double maxShedding() {
            return maxShedding;
        }

        /** Mean of the frames-per-second gauge over the window's scrapes, per rendition. */
        Map<String, Double> meanFps() {
            Map<String, Double> out = new LinkedHashMap<>();
            sumFps.forEach((r, v) -> out.put(r, v / samples));
            return out;
        }

        /** Frames dropped in the window, all renditions. */
        long droppedInWindow() {
            return Math.round(delta(first.dropped(), last.dropped()).values().stream().mapToDouble(d -> d).sum());
        }

        /** Frames dropped in the whole session so far (the settle too), all renditions. */
        long droppedTotal() {
            return Math.round(last.dropped().values().stream().mapToDouble(d -> d).sum());
        }

        /**
         * Source video transcoded in the window, in seconds of content: the most frames any encoded rendition took
         * (put out or dropped) over the source frame rate.
         */
        double contentSeconds(String passthroughName, double fps) {
            Map<String, Double> out = delta(first.frames(), last.frames());
            Map<String, Double> dropped = delta(first.dropped(), last.dropped());
            double frames = 0;
            for (Map.Entry<String, Double> e : out.entrySet()) {
                if (!e.getKey().equals(passthroughName)) {
                    frames = Math.max(frames, e.getValue() + dropped.getOrDefault(e.getKey(), 0.0));
                }
            }
            return frames / fps;
        }

        private static Map<String, Double> delta(Map<String, Double> from, Map<String, Double> to) {
            Map<String, Double> out = new LinkedHashMap<>();
            to.forEach((r, v) -> out.put(r, v - from.getOrDefault(r, 0.0)));
            return out;
        }
    }
}
