package io.estuary.transcoder.ffmpeg;

import io.estuary.media.codec.h264.NalUnits;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Annex B byte streams (start-code delimited NAL units, what libx264 and openh264 emit) split into NAL units and
 * rewritten as the 4-byte length-prefixed form our tracks carry.
 */
final class AnnexB {

    private AnnexB() {
    }

    /** The NAL units of an Annex B buffer, without start codes and without trailing zero bytes. */
    static List<byte[]> split(byte[] data) {
        List<byte[]> nals = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < data.length) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                if (start >= 0) {
                    addTrimmed(nals, data, start, i);
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0) {
            addTrimmed(nals, data, start, data.length);
        }
        return nals;
    }

    /**
     * The access unit as 4-byte length-prefixed NAL units, without parameter sets, access unit delimiters and SEI:
     * the parameter sets travel in the track's avcC, and the SEI libx264 puts in its first frame is only its
     * version banner.
     */
    static byte[] toAvcc(byte[] annexB) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(annexB.length + 16);
        for (byte[] nal : split(annexB)) {
            int type = NalUnits.type(nal[0]);
            if (type == NalUnits.TYPE_SPS || type == NalUnits.TYPE_PPS || type == NalUnits.TYPE_AUD
                    || type == NalUnits.TYPE_SEI) {
                continue;
            }
            out.write(nal.length >>> 24);
            out.write(nal.length >>> 16);
            out.write(nal.length >>> 8);
            out.write(nal.length);
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }

    // The zero byte of a 4-byte start code, and any trailing_zero_8bits, end up at the tail of the previous NAL.
    private static void addTrimmed(List<byte[]> nals, byte[] data, int from, int to) {
        int end = to;
        while (end > from && data[end - 1] == 0) {
            end--;
        }
        if (end > from) {
            byte[] nal = new byte[end - from];
            System.arraycopy(data, from, nal, 0, nal.length);
            nals.add(nal);
        }
    }
}
