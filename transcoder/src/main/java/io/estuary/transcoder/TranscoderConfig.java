package io.estuary.transcoder;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.estuary.media.router.StreamKey;
import io.estuary.transcoder.ffmpeg.VideoEncoder;
import io.estuary.transcoder.ladder.Ladder;
import io.estuary.transcoder.ladder.LadderReader;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code estuary.transcoder}, read once: whether and into which ladder each stream is transcoded, with what
 * encoder settings, and when to shed load. Overrides per app ({@code "live"}) or stream ({@code "live/demo"}) set
 * {@code enabled} and {@code ladder}; a stream's entry beats its app's, which beats the top level.
 *
 * @param keyframeInterval the fixed GOP of a ladder without the source; {@code null} for the packager's segment
 *                         target (the server fills it in)
 */
public record TranscoderConfig(Policy topLevel, Map<String, Policy> overrides, VideoDefaults video,
        AudioDefaults audio, int decoderThreads, int queueFrames, Duration maxLag, Duration keyframeInterval) {

    private static final Set<String> OVERRIDE_KEYS = Set.of("enabled", "ladder");

    /** Whether a stream is transcoded, and into what. */
    public record Policy(boolean enabled, Ladder ladder) {
    }

    /**
     * Encoder settings shared by every encoded rung.
     *
     * @param encoder {@code auto} (libx264 where the FFmpeg build has it, else libopenh264), {@code libx264} or
     *                {@code libopenh264}
     */
    public record VideoDefaults(String encoder, String preset, String tune, String profile, int threads) {

        public VideoDefaults {
            if (!encoder.equals("auto") && !VideoEncoder.H264_ENCODERS.contains(encoder)) {
                throw new IllegalArgumentException("video.encoder must be auto or one of "
                        + VideoEncoder.H264_ENCODERS + ": " + encoder);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("video.threads must be 0 (the encoder chooses) or more: "
                        + threads);
            }
        }
    }

    /**
     * The one AAC-LC encoding every rendition shares.
     *
     * @param opusPassthrough Opus audio (WebRTC) is packaged as Opus rather than transcoded to AAC, whether the
     *                        stream is transcoded or not
     */
    public record AudioDefaults(int sampleRate, int channels, int bitrate, boolean opusPassthrough) {

        /** AAC settings with Opus transcoded to AAC, the default. */
        public AudioDefaults(int sampleRate, int channels, int bitrate) {
            this(sampleRate, channels, bitrate, false);
        }
    }

    public TranscoderConfig {
        overrides = Map.copyOf(overrides);
        if (queueFrames < 16 || queueFrames > 10_000) {
            throw new IllegalArgumentException("queue-frames must be 16 to 10000: " + queueFrames);
        }
        if (maxLag.isNegative() || maxLag.isZero()) {
            throw new IllegalArgumentException("max-lag must be positive: " + maxLag);
        }
    }

    public static TranscoderConfig from(Config root) {
        Config c = root.getConfig("estuary.transcoder");
        String base = "estuary.transcoder";
        Policy top = new Policy(c.getBoolean("enabled"), LadderReader.read(c, base));
        Map<String, Config> overrides = new TreeMap<>();
        ConfigObject entries = c.getObject("overrides");
        for (Map.Entry<String, ConfigValue> e : entries.entrySet()) {
            String path = base + ".overrides." + ConfigUtil.joinPath(e.getKey());
            if (!isAppOrStream(e.getKey()) || !(e.getValue() instanceof ConfigObject entry)) {
                throw new ConfigException.BadValue(e.getValue().origin(), path,
                        "must be an object named after an app (\"live\") or a stream (\"live/name\")");
            }
            for (String k : entry.keySet()) {
                if (!OVERRIDE_KEYS.contains(k)) {
                    throw new ConfigException.BadValue(entry.origin(), path + "." + k,
                            "is not a key here (enabled, ladder)");
                }
            }
            overrides.put(e.getKey(), entry.toConfig());
        }
        Map<String, Policy> policies = new TreeMap<>();
        for (Map.Entry<String, Config> e : overrides.entrySet()) {
            String name = e.getKey();
            int slash = name.indexOf('/');
            Config app = slash < 0 ? null : overrides.get(name.substring(0, slash));
            Config effective = app == null ? e.getValue() : e.getValue().withFallback(app);
            effective = effective.withFallback(c);
            String path = base + ".overrides." + ConfigUtil.joinPath(name);
            policies.put(name, new Policy(effective.getBoolean("enabled"), LadderReader.read(effective, path)));
        }
        Config v = c.getConfig("video");
        Config a = c.getConfig("audio");
        Duration keyframeInterval = v.getIsNull("keyframe-interval") ? null : v.getDuration("keyframe-interval");
        try {
            return new TranscoderConfig(top, policies,
                    new VideoDefaults(v.getString("encoder"), v.getString("preset"), v.getString("tune"),
                            v.getString("profile"), v.getInt("threads")),
                    new AudioDefaults(a.getInt("sample-rate"), a.getInt("channels"),
                            LadderReader.bitRate(a, "bitrate", base + ".audio"), a.getBoolean("opus-passthrough")),
                    c.getInt("decoder-threads"), c.getInt("queue-frames"), c.getDuration("max-lag"),
                    keyframeInterval);
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(c.origin(), base, e.getMessage());
        }
    }

    /** The effective policy of a stream: its own override, else its app's, else the top level. */
    public Policy policyFor(StreamKey stream) {
        Policy own = overrides.get(stream.toString());
        return own != null ? own : overrides.getOrDefault(stream.app(), topLevel);
    }

    /** This configuration with the fixed keyframe interval filled in, unless config set one. */
    public TranscoderConfig withDefaultKeyframeInterval(Duration interval) {
        return keyframeInterval != null ? this : new TranscoderConfig(topLevel, overrides, video, audio,
                decoderThreads, queueFrames, maxLag, interval);
    }

    private static boolean isAppOrStream(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? StreamKey.isValidPart(name)
                : StreamKey.isValidPart(name.substring(0, slash)) && StreamKey.isValidPart(name.substring(slash + 1));
    }
}
