package io.estuary.media.frame;

import io.estuary.media.codec.h264.AvcDecoderConfigurationRecord;
import io.estuary.media.codec.h264.SpsInfo;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * H.264 configuration: the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 "avcC") exactly as it goes into the
 * sample entry, plus what its first SPS says. Samples of an H.264 track are length-prefixed NAL units whose
 * length field is {@link #nalLengthSize()} bytes.
 */
public record AvcConfig(byte[] avcC, List<byte[]> sps, List<byte[]> pps, int nalLengthSize, SpsInfo spsInfo)
        implements VideoCodecConfig {

    public AvcConfig {
        avcC = avcC.clone();
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
    }

    /** Parses an avcC record (as carried by an FLV AVC sequence header) and its first SPS. */
    public static AvcConfig fromAvcC(byte[] avcC) {
        AvcDecoderConfigurationRecord record = AvcDecoderConfigurationRecord.parse(avcC);
        if (record.sps().isEmpty()) {
            throw new IllegalArgumentException("avcC carries no SPS");
        }
        SpsInfo info = SpsInfo.parse(record.sps().get(0));
        return new AvcConfig(avcC, record.sps(), record.pps(), record.nalLengthSize(), info);
    }

    @Override
    public byte[] avcC() {
        return avcC.clone();
    }

    @Override
    public int width() {
        return spsInfo.width();
    }

    @Override
    public int height() {
        return spsInfo.height();
    }

    @Override
    public double frameRate() {
        return spsInfo.frameRate();
    }

    @Override
    public String codecString() {
        return "avc1." + HexFormat.of().toHexDigits((byte) spsInfo.profileIdc())
                + HexFormat.of().toHexDigits((byte) spsInfo.constraintFlags())
                + HexFormat.of().toHexDigits((byte) spsInfo.levelIdc());
    }

    @Override
    public String name() {
        return "H264";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AvcConfig other && Arrays.equals(avcC, other.avcC);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(avcC);
    }

    @Override
    public String toString() {
        return "AvcConfig[" + codecString() + " " + width() + "x" + height() + "]";
    }
}
