package io.estuary.media.codec.h264;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The parts of an avcC record (ISO/IEC 14496-15, 5.3.3.1) we use: NAL length size and parameter sets. */
public record AvcDecoderConfigurationRecord(int profileIdc, int constraintFlags, int levelIdc, int nalLengthSize,
        List<byte[]> sps, List<byte[]> pps) {

    public static AvcDecoderConfigurationRecord parse(byte[] avcC) {
        if (avcC.length < 7) {
            throw new IllegalArgumentException("avcC too short: " + avcC.length + " bytes");
        }
        if (avcC[0] != 1) {
            throw new IllegalArgumentException("avcC configurationVersion " + avcC[0] + " is not 1");
        }
        int nalLengthSize = (avcC[4] & 0x03) + 1;
        if (nalLengthSize == 3) {
            throw new IllegalArgumentException("avcC lengthSizeMinusOne 2 is not allowed");
        }
        int pos = 5;
        int spsCount = avcC[pos++] & 0x1f;
        List<byte[]> sps = new ArrayList<>();
        for (int i = 0; i < spsCount; i++) {
            pos = readParameterSet(avcC, pos, sps, "SPS");
        }
        if (pos >= avcC.length) {
            throw new IllegalArgumentException("avcC truncated before PPS count");
        }
        int ppsCount = avcC[pos++] & 0xff;
        List<byte[]> pps = new ArrayList<>();
        for (int i = 0; i < ppsCount; i++) {
            pos = readParameterSet(avcC, pos, pps, "PPS");
        }
        return new AvcDecoderConfigurationRecord(avcC[1] & 0xff, avcC[2] & 0xff, avcC[3] & 0xff, nalLengthSize,
                sps, pps);
    }

    private static int readParameterSet(byte[] avcC, int pos, List<byte[]> into, String what) {
        if (pos + 2 > avcC.length) {
            throw new IllegalArgumentException("avcC truncated before " + what + " length");
        }
        int length = ((avcC[pos] & 0xff) << 8) | (avcC[pos + 1] & 0xff);
        pos += 2;
        if (length == 0 || pos + length > avcC.length) {
            throw new IllegalArgumentException("avcC " + what + " length " + length + " exceeds the record");
        }
        into.add(Arrays.copyOfRange(avcC, pos, pos + length));
        return pos + length;
    }

    /** Builds an avcC record from parameter sets (for ingest paths that see Annex B or RTP, not avcC). */
    public static byte[] build(List<byte[]> sps, List<byte[]> pps) {
        if (sps.isEmpty()) {
            throw new IllegalArgumentException("an avcC needs at least one SPS");
        }
        byte[] first = sps.get(0);
        if (first.length < 4) {
            throw new IllegalArgumentException("SPS too short");
        }
        int size = 7;
        for (byte[] s : sps) {
            size += 2 + s.length;
        }
        for (byte[] p : pps) {
            size += 2 + p.length;
        }
        byte[] out = new byte[size];
        out[0] = 1;
        out[1] = first[1];
        out[2] = first[2];
        out[3] = first[3];
        out[4] = (byte) 0xff; // reserved bits + lengthSizeMinusOne = 3 (4-byte lengths)
        out[5] = (byte) (0xe0 | sps.size());
        int pos = 6;
        for (byte[] s : sps) {
            out[pos++] = (byte) (s.length >>> 8);
            out[pos++] = (byte) s.length;
            System.arraycopy(s, 0, out, pos, s.length);
            pos += s.length;
        }
        out[pos++] = (byte) pps.size();
        for (byte[] p : pps) {
            out[pos++] = (byte) (p.length >>> 8);
            out[pos++] = (byte) p.length;
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
