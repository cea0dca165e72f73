package io.estuary.transcoder.ffmpeg;

/** Receives the access units a {@link VideoEncoder} outputs, in input order (the encoder makes no B-frames). */
@FunctionalInterface
public interface PacketSink {

    /**
     * One encoded access unit.
     *
     * @param avccData the NAL units, each after a 4-byte big-endian length; no SPS, PPS, AUD or SEI (the
     *                 parameter sets are in {@link VideoEncoder#config()})
     * @param pts90k   presentation timestamp, 90 kHz
     * @param dts90k   decode timestamp, 90 kHz
     * @param keyframe whether it is an IDR
     */
    void packet(byte[] avccData, long pts90k, long dts90k, boolean keyframe);
}
