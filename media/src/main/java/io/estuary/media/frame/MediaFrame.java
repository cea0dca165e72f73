package io.estuary.media.frame;

import java.util.Objects;

/**
 * One access unit of one track, normalized at ingest: video as length-prefixed NAL units (parameter sets live in
 * the track's {@link CodecConfig}), AAC as a raw access unit.
 *
 * <p>The payload is an immutable {@code byte[]} on purpose: a frame crosses threads (ingest event loop, stream
 * executor, later the transcoder) and is shared by many subscribers; a heap array needs no reference counting
 * across those hand-offs, so no subscriber can leak or double-release it. Ingest copies each frame out of its
 * pooled {@code ByteBuf} exactly once; nobody may modify {@link #data()} afterwards.
 *
 * @param trackId            the {@link TrackInfo#trackId()} this frame belongs to
 * @param type               video or audio
 * @param dts                decode timestamp in the track's timescale, unwrapped (64-bit, never wraps)
 * @param compositionOffset  pts - dts in the track's timescale (non-zero with B-frames; may be negative)
 * @param keyframe           a sync sample (an IDR for video; every audio frame is one)
 * @param data               the payload, never modified after construction
 * @param wallClockMillis    wall clock (epoch ms) when ingest received the frame: the source of PROGRAM-DATE-TIME
 * @param receivedNanos      {@link System#nanoTime()} when ingest received the frame: for latency measurement
 */
public record MediaFrame(int trackId, MediaType type, long dts, int compositionOffset, boolean keyframe,
        byte[] data, long wallClockMillis, long receivedNanos) {

    public MediaFrame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    public long pts() {
        return dts + compositionOffset;
    }

    public int size() {
        return data.length;
    }

    @Override
    public String toString() {
        return "MediaFrame[track=" + trackId + " " + type + " dts=" + dts + " cto=" + compositionOffset
                + (keyframe ? " key" : "") + " " + data.length + "B]";
    }
}
