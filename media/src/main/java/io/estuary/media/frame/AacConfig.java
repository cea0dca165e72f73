package io.estuary.media.frame;

import io.estuary.media.codec.aac.AudioSpecificConfig;
import java.util.Arrays;

/**
 * AAC configuration: the AudioSpecificConfig (ISO/IEC 14496-3) exactly as it goes into the esds box, plus what
 * it says. Samples of an AAC track are raw access units (no ADTS header).
 */
public record AacConfig(byte[] audioSpecificConfig, AudioSpecificConfig parsed) implements AudioCodecConfig {

    public AacConfig {
        audioSpecificConfig = audioSpecificConfig.clone();
    }

    public static AacConfig fromAudioSpecificConfig(byte[] asc) {
        return new AacConfig(asc, AudioSpecificConfig.parse(asc));
    }

    @Override
    public byte[] audioSpecificConfig() {
        return audioSpecificConfig.clone();
    }

    @Override
    public int sampleRate() {
        return parsed.sampleRate();
    }

    @Override
    public int channels() {
        return parsed.channels();
    }

    @Override
    public int samplesPerFrame() {
        return parsed.samplesPerFrame();
    }

    /** RFC 6381: {@code mp4a.40.<audio object type>}. */
    @Override
    public String codecString() {
        return "mp4a.40." + parsed.objectType();
    }

    @Override
    public String name() {
        return "AAC";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AacConfig other && Arrays.equals(audioSpecificConfig, other.audioSpecificConfig);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(audioSpecificConfig);
    }

    @Override
    public String toString() {
        return "AacConfig[" + codecString() + " " + sampleRate() + "Hz " + channels() + "ch]";
    }
}
