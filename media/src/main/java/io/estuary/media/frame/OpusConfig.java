package io.estuary.media.frame;

import java.util.Arrays;

/**
 * Opus configuration (RFC 7845): the identification header ("OpusHead") as WebRTC ingest builds it, or as
 * another source carries it, plus what it says. Samples of an Opus track are raw Opus packets, timed in a
 * 48 kHz timescale whatever the input rate was (Opus always decodes at 48 kHz).
 *
 * <p>HLS and DASH players are given AAC by default: the transcoder decodes Opus and encodes AAC-LC. With
 * {@code estuary.transcoder.audio.opus-passthrough} the packager carries Opus itself (an 'Opus' sample entry),
 * for players that play Opus in MP4.
 */
public record OpusConfig(byte[] opusHead, int channels, int preSkip, int inputSampleRate)
        implements AudioCodecConfig {

    /** Opus is always decoded at 48 kHz; its timestamps count 48 kHz samples (RFC 7845, section 4). */
    public static final int SAMPLE_RATE = 48_000;
    private static final byte[] MAGIC = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd'};

    public OpusConfig {
        opusHead = opusHead.clone();
        if (channels < 1 || channels > 8) {
            throw new IllegalArgumentException("Opus channel count must be 1 to 8: " + channels);
        }
    }

    /**
     * Builds the 19-byte OpusHead of a mapping-family-0 stream (mono or stereo, which is all WebRTC sends):
     * version 1, the channel count, the pre-skip, the input rate, gain 0.
     */
    public static OpusConfig of(int channels, int preSkip, int inputSampleRate) {
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("mapping family 0 carries 1 or 2 channels: " + channels);
        }
        byte[] head = Arrays.copyOf(MAGIC, 19);
        head[8] = 1;
        head[9] = (byte) channels;
        head[10] = (byte) preSkip;
        head[11] = (byte) (preSkip >>> 8);
        head[12] = (byte) inputSampleRate;
        head[13] = (byte) (inputSampleRate >>> 8);
        head[14] = (byte) (inputSampleRate >>> 16);
        head[15] = (byte) (inputSampleRate >>> 24);
        // bytes 16-17: output gain 0; byte 18: channel mapping family 0
        return new OpusConfig(head, channels, preSkip, inputSampleRate);
    }

    /** Parses an OpusHead (RFC 7845 section 5.1); bounded, and refuses what is not one. */
    public static OpusConfig parse(byte[] head) {
        if (head.length < 19 || !Arrays.equals(head, 0, 8, MAGIC, 0, 8)) {
            throw new IllegalArgumentException("not an OpusHead");
        }
        if ((head[8] & 0xF0) != 0) {
            throw new IllegalArgumentException("unsupported OpusHead version " + (head[8] & 0xFF));
        }
        int channels = head[9] & 0xFF;
        int preSkip = (head[10] & 0xFF) | (head[11] & 0xFF) << 8;
        int rate = (head[12] & 0xFF) | (head[13] & 0xFF) << 8 | (head[14] & 0xFF) << 16 | (head[15] & 0xFF) << 24;
        return new OpusConfig(head, channels, preSkip, rate);
    }

    @Override
    public byte[] opusHead() {
        return opusHead.clone();
    }

    @Override
    public int sampleRate() {
        return SAMPLE_RATE;
    }

    /** 20 ms, what WebRTC sends; Opus frames may be 2.5 to 60 ms, so durations come from timestamps. */
    @Override
    public int samplesPerFrame() {
        return 960;
    }

    @Override
    public String codecString() {
        return "opus";
    }

    @Override
    public String name() {
        return "Opus";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpusConfig other && Arrays.equals(opusHead, other.opusHead);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(opusHead);
    }

    @Override
    public String toString() {
        return "OpusConfig[" + channels + "ch preskip=" + preSkip + "]";
    }
}
