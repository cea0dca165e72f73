package io.estuary.protocols.webrtc.rtp;

/**
 * Opus over RTP (RFC 7587) needs no depacketizing: one RTP payload is one Opus packet. What ingest needs is its
 * duration, read from the TOC byte (RFC 6716, section 3.1), to time the packet and to check the RTP timestamps.
 */
public final class OpusDepacketizer {
    /** RFC 6716 3.2.5: a packet holds at most 120 ms of audio. */
    private static final int MAX_SAMPLES = 5760;

    /** Frame durations in 48 kHz samples by TOC config (0-11 SILK, 12-15 hybrid, 16-31 CELT), RFC 6716 table 2. */
    private static final int[] FRAME_SAMPLES = {
        480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880, // SILK NB, MB, WB: 10/20/40/60 ms
        480, 960, 480, 960,                                               // hybrid SWB, FB: 10/20 ms
        120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, // CELT: 2.5/5/10/20 ms
    };

    private OpusDepacketizer() {
    }

    /** The number of 48 kHz samples in one Opus packet. */
    public static int samplesPerPacket(byte[] opusPacket) throws RtpException {
        if (opusPacket.length == 0) {
            throw new RtpException("empty Opus packet");
        }
        int toc = opusPacket[0] & 0xff;
        int frameSamples = FRAME_SAMPLES[toc >>> 3];
        int frames = switch (toc & 0x03) {
            case 0 -> 1;
            case 1, 2 -> 2;
            default -> {
                // Code 3: the frame count M is the low 6 bits of the second byte.
                if (opusPacket.length < 2) {
                    throw new RtpException("Opus code 3 packet without its frame count byte");
                }
                int count = opusPacket[1] & 0x3f;
                if (count == 0) {
                    throw new RtpException("Opus code 3 packet with zero frames");
                }
                yield count;
            }
        };
        int samples = frames * frameSamples;
        if (samples > MAX_SAMPLES) {
            throw new RtpException("Opus packet of " + frames + " frames of " + frameSamples
                    + " samples exceeds 120 ms");
        }
        return samples;
    }
}
