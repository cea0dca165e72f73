package io.estuary.transcoder.ffmpeg;

import java.util.Objects;

/**
 * How one rung is encoded.
 *
 * @param encoder   {@code libx264}, or {@code libopenh264} on LGPL builds (which ignores preset and tune)
 * @param width     picture width, even
 * @param height    picture height, even
 * @param frameRate nominal frame rate, written into the SPS VUI timing and used by rate control
 * @param bitrate   target bitrate, bit/s
 * @param maxrate   VBV maximum rate, bit/s: the peak HLS BANDWIDTH can promise
 * @param bufsize   VBV buffer size, bits
 * @param preset    libx264 preset ({@code veryfast}...), or null for the encoder's default
 * @param tune      libx264 tune ({@code zerolatency}), or null
 * @param profile   H.264 profile ({@code baseline}, {@code main}, {@code high}), or null for the encoder's default
 * @param gopFrames the longest run of frames between IDRs; IDRs otherwise come only where the caller forces them
 * @param threads   encoder threads, 0 for the encoder's automatic choice
 */
public record VideoEncoderSettings(String encoder, int width, int height, double frameRate, int bitrate, int maxrate,
        int bufsize, String preset, String tune, String profile, int gopFrames, int threads) {

    public VideoEncoderSettings {
        Objects.requireNonNull(encoder, "encoder");
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("width and height must be even and positive: " + width + "x" + height);
        }
        if (!(frameRate > 0) || frameRate > 1000) {
            throw new IllegalArgumentException("frameRate must be in (0, 1000]: " + frameRate);
        }
        if (bitrate <= 0 || maxrate <= 0 || bufsize <= 0) {
            throw new IllegalArgumentException("bitrate, maxrate and bufsize must be positive: "
                    + bitrate + ", " + maxrate + ", " + bufsize);
        }
        if (maxrate < bitrate) {
            throw new IllegalArgumentException("maxrate " + maxrate + " is below bitrate " + bitrate);
        }
        if (gopFrames <= 0) {
            throw new IllegalArgumentException("gopFrames must be positive: " + gopFrames);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0: " + threads);
        }
    }

    /** Whether the encoder is libopenh264, which has no preset, tune or x264-params. */
    boolean isOpenH264() {
        return encoder.equals("libopenh264");
    }
}
