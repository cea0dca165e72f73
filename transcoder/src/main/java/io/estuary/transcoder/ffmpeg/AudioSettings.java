package io.estuary.transcoder.ffmpeg;

/**
 * The AAC-LC every rendition's audio is encoded to.
 *
 * @param sampleRate output sample rate, Hz (also the output track's timescale)
 * @param channels   output channels, 1 or 2
 * @param bitrate    AAC bitrate, bit/s
 */
public record AudioSettings(int sampleRate, int channels, int bitrate) {

    public AudioSettings {
        if (sampleRate < 8_000 || sampleRate > 96_000) {
            throw new IllegalArgumentException("sampleRate must be 8000 to 96000 Hz: " + sampleRate);
        }
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("channels must be 1 or 2: " + channels);
        }
        if (bitrate <= 0) {
            throw new IllegalArgumentException("bitrate must be positive: " + bitrate);
        }
    }

    /** 48 kHz stereo at 128 kbit/s: what HLS and DASH players expect from a live stream. */
    public static AudioSettings defaults() {
        return new AudioSettings(48_000, 2, 128_000);
    }
}
