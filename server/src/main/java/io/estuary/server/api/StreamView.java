package io.estuary.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.estuary.protocols.whip.WhipSessionInfo;
import io.estuary.media.frame.AudioCodecConfig;
import io.estuary.media.frame.CodecConfig;
import io.estuary.media.frame.VideoCodecConfig;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.TrackStats;
import io.estuary.packager.hls.HlsStream;
import io.estuary.packager.hls.LatencyStats;
import io.estuary.transcoder.TranscodeStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One live stream as the API shows it (the shape is documented in the README and used by the console). The tracks
 * are the publisher's; {@code transcoder}, left out when the stream is packaged as published, has the renditions.
 */
record StreamView(String key, String app, String name, Publisher publisher, String startedAt, double uptimeSeconds,
        Double bitrateBps, int viewers, long droppedFrames, Latency latency, List<TrackView> tracks,
        @JsonInclude(JsonInclude.Include.NON_NULL) TranscoderView transcoder, Map<String, String> playback,
        Map<String, String> publish) {

    /** {@code webrtc}: a WHIP publisher's session (ICE, DTLS, loss and repair); left out for RTMP. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Publisher(String protocol, String address, WhipSessionInfo webrtc) {
    }

    /** Ingest-to-part-available latency at the server, in milliseconds; null before the first part. */
    record Latency(Double partP50Ms, Double partP99Ms) {
    }

    /** Fields that do not apply to the track's type, or are not measured yet, are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TrackView(String type, String codec, String codecName, Integer width, Integer height, Double frameRate,
            Integer sampleRate, Integer channels, Double bitrateBps, Double gopSeconds, long frames, long bytes) {

        static TrackView of(TrackStats stats) {
            CodecConfig config = stats.info().config();
            Integer width = null;
            Integer height = null;
            Double frameRate = null;
            Integer sampleRate = null;
            Integer channels = null;
            Double gop = null;
            if (config instanceof VideoCodecConfig video) {
                width = video.width();
                height = video.height();
                // What arrives, once measured; until then what the bitstream says (0 when it says nothing).
                double measured = stats.frameRate();
                frameRate = !Double.isNaN(measured) ? round(measured) : video.frameRate() > 0 ? video.frameRate()
                        : null;
                gop = orNull(stats.keyframeIntervalSeconds());
            } else if (config instanceof AudioCodecConfig audio) {
                sampleRate = audio.sampleRate();
                channels = audio.channels();
            }
            return new TrackView(stats.info().type().name().toLowerCase(Locale.ROOT), config.codecString(),
                    config.name().toLowerCase(Locale.ROOT), width, height, frameRate, sampleRate, channels,
                    orNull(Math.rint(stats.bitrateBps())), gop, stats.frames(), stats.bytes());
        }
    }

    static StreamView of(LiveStream stream, HlsStream hls, int viewers, Urls urls, long nowMillis,
            WhipSessionInfo whip, TranscodeStats transcoder) {
        List<TrackView> tracks = new ArrayList<>();
        double bitrate = 0;
        boolean measured = false;
        for (TrackStats t : stream.trackStats()) {
            tracks.add(TrackView.of(t));
            if (!Double.isNaN(t.bitrateBps())) {
                bitrate += t.bitrateBps();
                measured = true;
            }
        }
        Latency latency = new Latency(null, null);
        if (hls != null && hls.partLatency().count() > 0) {
            LatencyStats l = hls.partLatency();
            latency = new Latency(round(l.p50Nanos() / 1e6), round(l.p99Nanos() / 1e6));
        }
        String address = stream.publisher().remoteHost() + ":" + stream.publisher().remotePort();
        return new StreamView(stream.key().toString(), stream.key().app(), stream.key().name(),
                new Publisher(stream.publisher().protocol(), address, whip),
                Instant.ofEpochMilli(stream.startedAtMillis()).toString(),
                round((nowMillis - stream.startedAtMillis()) / 1000.0), measured ? Math.rint(bitrate) : null, viewers,
                stream.droppedFrames(), latency, tracks, transcoder == null ? null : TranscoderView.of(transcoder),
                Map.of("hls", urls.hls(stream.key()), "dash", urls.dash(stream.key())),
                Map.of("rtmp", urls.rtmp(stream.key()), "whip", urls.whip(stream.key())));
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    /** Two decimals: enough for people, and stable to read in tests. */
    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
