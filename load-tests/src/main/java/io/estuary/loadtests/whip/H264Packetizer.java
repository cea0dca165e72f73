package io.estuary.loadtests.whip;

import io.estuary.media.codec.h264.NalUnits;
import java.util.ArrayList;
import java.util.List;

/**
 * RTP payloads of one H.264 picture by RFC 6184 packetization-mode 1, as browsers send them: the SPS and PPS in one
 * STAP-A (section 5.7.1) before each IDR picture, so that a receiver joining or recovering needs no out-of-band
 * parameter sets; every NAL unit that fits as a single NAL unit packet (section 5.6); larger ones cut into FU-A
 * fragments (section 5.8). The caller sets the marker bit on the last payload.
 */
public final class H264Packetizer {
    /** About what browsers put in a packet: room for SRTP, header extensions and a tunnel within a 1500 MTU. */
    public static final int DEFAULT_MAX_PAYLOAD = 1200;
    private static final int STAP_A = 24;
    private static final int FU_A = 28;
    private static final int FU_HEADER_BYTES = 2;

    private H264Packetizer() {
    }

    /**
     * @param nalUnits   the picture's NAL units, without start codes or length prefixes
     * @param sps        sent with pps in a STAP-A ahead of a picture that holds an IDR slice
     * @param maxPayload the largest payload, at least 64 bytes
     */
    public static List<byte[]> payloads(List<byte[]> nalUnits, byte[] sps, byte[] pps, int maxPayload) {
        if (maxPayload < 64) {
            throw new IllegalArgumentException("maxPayload must be at least 64 bytes, got " + maxPayload);
        }
        List<byte[]> out = new ArrayList<>();
        boolean idr = nalUnits.stream().anyMatch(n -> NalUnits.type(n[0]) == NalUnits.TYPE_IDR);
        if (idr) {
            out.add(stapA(sps, pps, maxPayload));
        }
        for (byte[] nal : nalUnits) {
            if (nal.length == 0) {
                throw new IllegalArgumentException("empty NAL unit");
            }
            if (nal.length <= maxPayload) {
                out.add(nal);
            } else {
                fragment(nal, maxPayload, out);
            }
        }
        return out;
    }

    /** Aggregates two NAL units; the F and NRI bits are the highest of theirs (RFC 6184 section 5.7). */
    static byte[] stapA(byte[] first, byte[] second, int maxPayload) {
        int length = 1 + 2 + first.length + 2 + second.length;
        if (length > maxPayload) {
            throw new IllegalArgumentException("parameter sets of " + length + " bytes do not fit in a STAP-A of "
                    + maxPayload);
        }
        byte[] out = new byte[length];
        int nri = Math.max(first[0] & 0x60, second[0] & 0x60);
        int forbidden = (first[0] | second[0]) & 0x80;
        out[0] = (byte) (forbidden | nri | STAP_A);
        int at = 1;
        for (byte[] nal : new byte[][] {first, second}) {
            out[at++] = (byte) (nal.length >>> 8);
            out[at++] = (byte) nal.length;
            System.arraycopy(nal, 0, out, at, nal.length);
            at += nal.length;
        }
        return out;
    }

    /**
     * FU-A: the NAL header's F and NRI go in the FU indicator, its type in each FU header with S on the first
     * fragment and E on the last; the header byte itself is not sent (section 5.8).
     */
    private static void fragment(byte[] nal, int maxPayload, List<byte[]> out) {
        int chunk = maxPayload - FU_HEADER_BYTES;
        byte indicator = (byte) (nal[0] & 0xE0 | FU_A);
        int type = nal[0] & 0x1F;
        for (int at = 1; at < nal.length; at += chunk) {
            int end = Math.min(nal.length, at + chunk);
            byte[] fu = new byte[FU_HEADER_BYTES + end - at];
            fu[0] = indicator;
            fu[1] = (byte) ((at == 1 ? 0x80 : 0) | (end == nal.length ? 0x40 : 0) | type);
            System.arraycopy(nal, at, fu, FU_HEADER_BYTES, end - at);
            out.add(fu);
        }
    }
}
