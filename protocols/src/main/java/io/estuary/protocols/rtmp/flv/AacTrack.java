package io.estuary.protocols.rtmp.flv;

import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.estuary.protocols.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * The AAC track of an RTMP session. Timestamps move to the sample-rate timescale; because RTMP carries whole
 * milliseconds (and encoders jitter them), a frame within half a frame of where the previous one predicts is
 * snapped onto the 1024-sample grid, so consecutive frames get exact durations. A larger gap is a real
 * discontinuity and is kept.
 */
final class AacTrack {
    static final int TRACK_ID = 2;
    private static final int MAX_FRAME = 64 * 1024;

    private final TimestampUnwrapper clock = new TimestampUnwrapper();
    private AacConfig config;
    private boolean configChanged;
    private boolean hasLast;
    private long lastDts;

    AacConfig config() {
        return config;
    }

    TrackInfo track() {
        return config == null ? null : TrackInfo.audio(TRACK_ID, config);
    }

    boolean takeConfigChanged() {
        boolean changed = configChanged;
        configChanged = false;
        return changed;
    }

    void sequenceHeader(ByteBuf asc) {
        byte[] bytes = new byte[Math.min(asc.readableBytes(), 64)];
        asc.readBytes(bytes);
        AacConfig parsed;
        try {
            parsed = AacConfig.fromAudioSpecificConfig(bytes);
        } catch (RuntimeException e) {
            throw new RtmpProtocolException("bad AAC sequence header: " + e.getMessage());
        }
        if (!parsed.equals(config)) {
            config = parsed;
            configChanged = true;
            hasLast = false;
        }
    }

    /** The frame of one raw AAC packet, or null without a configuration. */
    MediaFrame frame(long rtmpTimestamp, ByteBuf raw) {
        long millis = clock.unwrap(rtmpTimestamp);
        if (config == null || !raw.isReadable()) {
            return null;
        }
        if (raw.readableBytes() > MAX_FRAME) {
            throw new RtmpProtocolException("AAC frame of " + raw.readableBytes() + " bytes");
        }
        long dts = Math.floorDiv(millis * config.sampleRate(), 1000);
        int samplesPerFrame = config.samplesPerFrame();
        if (hasLast) {
            long predicted = lastDts + samplesPerFrame;
            if (Math.abs(dts - predicted) <= samplesPerFrame / 2) {
                dts = predicted;
            }
        }
        hasLast = true;
        lastDts = dts;
        byte[] data = new byte[raw.readableBytes()];
        raw.readBytes(data);
        return new MediaFrame(TRACK_ID, MediaType.AUDIO, dts, 0, true, data, System.currentTimeMillis(),
                System.nanoTime());
    }
}
