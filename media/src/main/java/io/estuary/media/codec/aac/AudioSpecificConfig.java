package io.estuary.media.codec.aac;

import io.estuary.media.codec.BitReader;

/** What an AudioSpecificConfig (ISO/IEC 14496-3, 1.6.2.1) says: object type, sample rate and channels. */
public record AudioSpecificConfig(int objectType, int sampleRate, int channels, int samplesPerFrame) {

    private static final int[] SAMPLE_RATES = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
    };

    public static AudioSpecificConfig parse(byte[] asc) {
        if (asc.length < 2) {
            throw new IllegalArgumentException("AudioSpecificConfig too short: " + asc.length + " bytes");
        }
        BitReader r = new BitReader(asc);
        int objectType = r.readInt(5);
        if (objectType == 31) {
            objectType = 32 + r.readInt(6);
        }
        int sampleRate = readSampleRate(r);
        int channelConfig = r.readInt(4);
        boolean sbr = objectType == 5 || objectType == 29;
        if (sbr) {
            // Explicit SBR/PS signalling: the output rate and the core object type follow.
            sampleRate = readSampleRate(r);
            objectType = r.readInt(5);
        }
        if (objectType == 0) {
            throw new IllegalArgumentException("AudioSpecificConfig object type 0 is invalid");
        }
        int frameLengthFlag = 0;
        if (r.bitsLeft() > 0 && (objectType == 1 || objectType == 2 || objectType == 3 || objectType == 4)) {
            frameLengthFlag = r.readBit();
        }
        int channels = channelConfig == 7 ? 8 : channelConfig;
        if (channels == 0) {
            throw new IllegalArgumentException("AudioSpecificConfig with a program config element is not supported");
        }
        // With SBR the output runs at twice the core rate: a frame is 2048 output samples, not 1024.
        int samplesPerFrame = sbr ? 2048 : frameLengthFlag == 1 ? 960 : 1024;
        return new AudioSpecificConfig(objectType, sampleRate, channels, samplesPerFrame);
    }

    private static int readSampleRate(BitReader r) {
        int index = r.readInt(4);
        if (index == 15) {
            int explicit = (int) r.readBits(24);
            if (explicit <= 0) {
                throw new IllegalArgumentException("AudioSpecificConfig sample rate 0");
            }
            return explicit;
        }
        if (index >= SAMPLE_RATES.length) {
            throw new IllegalArgumentException("AudioSpecificConfig sample rate index " + index + " is reserved");
        }
        return SAMPLE_RATES[index];
    }

    /** Builds the two-byte AudioSpecificConfig of a plain AAC-LC stream (for tests and ADTS ingest). */
    public static byte[] aacLc(int sampleRate, int channels) {
        int index = -1;
        for (int i = 0; i < SAMPLE_RATES.length; i++) {
            if (SAMPLE_RATES[i] == sampleRate) {
                index = i;
            }
        }
        if (index < 0 || channels < 1 || channels > 7) {
            throw new IllegalArgumentException("no AAC-LC config for " + sampleRate + " Hz, " + channels + " ch");
        }
        return new byte[] {(byte) ((2 << 3) | (index >> 1)), (byte) (((index & 1) << 7) | (channels << 3))};
    }
}
