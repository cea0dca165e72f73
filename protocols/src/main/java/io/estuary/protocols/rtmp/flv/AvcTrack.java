package io.estuary.protocols.rtmp.flv;

import io.estuary.media.codec.h264.AvcDecoderConfigurationRecord;
import io.estuary.media.codec.h264.NalUnits;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.estuary.protocols.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The H.264 track of an RTMP session: normalizes each access unit once. Samples leave length-prefixed with the
 * configuration's NAL length size, without access unit delimiters, filler data or parameter sets; in-band
 * SPS/PPS that differ from the configuration become a new configuration (a codec change).
 */
final class AvcTrack {
    static final int TRACK_ID = 1;
    private static final int TYPE_FILLER = 12;
    private static final int MAX_NALS = 1024;

    private final TimestampUnwrapper clock = new TimestampUnwrapper();
    private final FrameGrid grid = new FrameGrid();
    private AvcConfig config;
    /** Length size of the incoming samples: the one of the last sequence header (4 when there was none). */
    private int inputLengthSize = 4;
    private boolean configChanged;
    private double metadataFrameRate;

    AvcConfig config() {
        return config;
    }

    TrackInfo track() {
        return config == null ? null : TrackInfo.video(TRACK_ID, config);
    }

    /** True once after each configuration change; the caller re-announces the tracks. */
    boolean takeConfigChanged() {
        boolean changed = configChanged;
        configChanged = false;
        return changed;
    }

    void sequenceHeader(ByteBuf avcC) {
        byte[] bytes = new byte[avcC.readableBytes()];
        avcC.readBytes(bytes);
        AvcConfig parsed;
        try {
            parsed = AvcConfig.fromAvcC(bytes);
        } catch (RuntimeException e) {
            throw new RtmpProtocolException("bad AVC sequence header: " + e.getMessage());
        }
        inputLengthSize = parsed.nalLengthSize();
        setConfig(parsed);
    }

    private void setConfig(AvcConfig next) {
        if (!next.equals(config)) {
            config = next;
            configChanged = true;
            grid.frameRate(next.frameRate() > 0 ? next.frameRate() : metadataFrameRate);
        }
    }

    /** The frame rate onMetaData announced: the grid's fallback when the SPS carries no timing. */
    void metadataFrameRate(double fps) {
        metadataFrameRate = fps;
        if (config == null || config.frameRate() <= 0) {
            grid.frameRate(fps);
        }
    }

    /**
     * Builds the frame of one NALU packet, or returns null when nothing is left to publish (only parameter sets
     * or no configuration yet). May change the configuration first.
     */
    MediaFrame frame(long rtmpTimestamp, int compositionMillis, boolean keyframe, ByteBuf nalus) {
        long dts = grid.dts(clock.unwrap(rtmpTimestamp) * 90);
        List<int[]> kept = new ArrayList<>();
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        int base = nalus.readerIndex();
        int end = nalus.writerIndex();
        int pos = base;
        int outSize = 0;
        while (pos < end) {
            if (end - pos < inputLengthSize) {
                throw new RtmpProtocolException("truncated NAL unit length in AVC packet");
            }
            long length = switch (inputLengthSize) {
                case 1 -> nalus.getUnsignedByte(pos);
                case 2 -> nalus.getUnsignedShort(pos);
                default -> nalus.getUnsignedInt(pos);
            };
            pos += inputLengthSize;
            if (length > end - pos) {
                throw new RtmpProtocolException("NAL unit of " + length + " bytes exceeds its AVC packet");
            }
            if (length == 0) {
                continue;
            }
            if (kept.size() + sps.size() + pps.size() >= MAX_NALS) {
                throw new RtmpProtocolException("more than " + MAX_NALS + " NAL units in one AVC packet");
            }
            int type = NalUnits.type(nalus.getByte(pos));
            int len = (int) length;
            if (type == NalUnits.TYPE_SPS || type == NalUnits.TYPE_PPS) {
                byte[] set = new byte[len];
                nalus.getBytes(pos, set);
                (type == NalUnits.TYPE_SPS ? sps : pps).add(set);
            } else if (type != NalUnits.TYPE_AUD && type != TYPE_FILLER) {
                kept.add(new int[] {pos, len});
                outSize += len;
            }
            pos += len;
        }
        adoptInBandParameterSets(sps, pps);
        if (config == null || kept.isEmpty()) {
            return null;
        }
        int lengthSize = config.nalLengthSize();
        byte[] data = new byte[outSize + kept.size() * lengthSize];
        int out = 0;
        for (int[] nal : kept) {
            int len = nal[1];
            if (lengthSize < 4 && len >= 1 << (8 * lengthSize)) {
                throw new RtmpProtocolException("NAL unit of " + len + " bytes does not fit its length field");
            }
            for (int i = lengthSize - 1; i >= 0; i--) {
                data[out++] = (byte) (len >>> (8 * i));
            }
            nalus.getBytes(nal[0], data, out, len);
            out += len;
        }
        return new MediaFrame(TRACK_ID, MediaType.VIDEO, dts, grid.compositionOffset(compositionMillis * 90),
                keyframe, data, System.currentTimeMillis(), System.nanoTime());
    }

    private void adoptInBandParameterSets(List<byte[]> sps, List<byte[]> pps) {
        if (sps.isEmpty() && pps.isEmpty()) {
            return;
        }
        List<byte[]> nextSps = sps.isEmpty() && config != null ? config.sps() : sps;
        List<byte[]> nextPps = pps.isEmpty() && config != null ? config.pps() : pps;
        if (config != null && sameSets(nextSps, config.sps()) && sameSets(nextPps, config.pps())) {
            return;
        }
        if (nextSps.isEmpty() || nextPps.isEmpty()) {
            return; // half a configuration: wait for the rest
        }
        try {
            setConfig(AvcConfig.fromAvcC(AvcDecoderConfigurationRecord.build(nextSps, nextPps)));
        } catch (RuntimeException e) {
            throw new RtmpProtocolException("bad in-band SPS/PPS: " + e.getMessage());
        }
    }

    private static boolean sameSets(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
