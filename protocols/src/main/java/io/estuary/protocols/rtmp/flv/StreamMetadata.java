package io.estuary.protocols.rtmp.flv;

import java.util.Map;

/**
 * What {@code onMetaData} announced. Codec ids are FLV numbers (7 = AVC, 10 = AAC) or, from enhanced RTMP
 * encoders, FourCC strings ({@code hvc1}, {@code av01}, {@code Opus}); null when absent.
 */
public record StreamMetadata(int width, int height, double frameRate, Object videoCodec, Object audioCodec) {

    public static StreamMetadata from(Map<String, Object> values) {
        return new StreamMetadata((int) number(values.get("width")), (int) number(values.get("height")),
                number(values.get("framerate")), codec(values.get("videocodecid")), codec(values.get("audiocodecid")));
    }

    public boolean hasVideo() {
        return videoCodec != null;
    }

    public boolean hasAudio() {
        return audioCodec != null;
    }

    private static double number(Object o) {
        return o instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : 0;
    }

    private static Object codec(Object o) {
        if (o instanceof Number n) {
            return n.intValue() == 0 ? null : n.intValue();
        }
        return o instanceof String s && !s.isEmpty() ? s : null;
    }
}
