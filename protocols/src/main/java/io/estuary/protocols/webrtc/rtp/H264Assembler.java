package io.estuary.protocols.webrtc.rtp;

import io.estuary.media.codec.h264.AvcDecoderConfigurationRecord;
import io.estuary.media.codec.h264.NalUnits;
import io.estuary.media.frame.AvcConfig;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns access units into samples in our media model: SPS and PPS become the track's {@link AvcConfig}, AUDs are
 * dropped, the rest is written with 4-byte length prefixes.
 *
 * <p>Nothing comes out before an IDR with known parameter sets: a decoder could not start anywhere else. When the
 * parameter sets change, the new configuration waits for the next IDR (the only place a new SPS may take
 * effect) and pictures in between are dropped, with {@link #needsKeyframe()} true until that IDR.
 */
public final class H264Assembler {
    private byte[] sps;
    private byte[] pps;
    private AvcConfig config;
    private AvcConfig pendingConfig;

    public Optional<VideoSample> assemble(H264AccessUnit au) {
        List<byte[]> pictureNals = new ArrayList<>(au.nalUnits().size());
        for (byte[] nal : au.nalUnits()) {
            switch (NalUnits.type(nal[0])) {
                case NalUnits.TYPE_SPS -> sps = nal;
                case NalUnits.TYPE_PPS -> pps = nal;
                case NalUnits.TYPE_AUD -> {
                    // access unit delimiters mean nothing in length-prefixed samples
                }
                default -> pictureNals.add(nal);
            }
        }
        updateConfig();
        if (pictureNals.isEmpty()) {
            return Optional.empty();
        }
        AvcConfig announced = null;
        if (pendingConfig != null) {
            if (!au.idr()) {
                return Optional.empty();
            }
            config = pendingConfig;
            pendingConfig = null;
            announced = config;
        }
        if (config == null) {
            return Optional.empty();
        }
        return Optional.of(new VideoSample(au.rtpTimestamp(), lengthPrefixed(pictureNals), au.idr(), announced));
    }

    /** True until the first usable IDR, and again after a configuration change until its IDR. */
    public boolean needsKeyframe() {
        return config == null || pendingConfig != null;
    }

    /** The configuration of the samples handed out so far, null before the first. */
    public AvcConfig config() {
        return config;
    }

    private void updateConfig() {
        if (sps == null || pps == null) {
            return;
        }
        try {
            byte[] avcC = AvcDecoderConfigurationRecord.build(List.of(sps), List.of(pps));
            AvcConfig latest = pendingConfig != null ? pendingConfig : config;
            if (latest == null || !Arrays.equals(latest.avcC(), avcC)) {
                pendingConfig = AvcConfig.fromAvcC(avcC);
            }
        } catch (IllegalArgumentException unusableSps) {
            // An SPS we cannot parse gives no picture size: forget it and wait for a good one.
            sps = null;
        }
    }

    private static byte[] lengthPrefixed(List<byte[]> nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nals) {
            int n = nal.length;
            out.write(n >>> 24);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
            out.write(nal, 0, n);
        }
        return out.toByteArray();
    }
}
