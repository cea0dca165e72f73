package io.estuary.media.codec.h264;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: the NAL units of an Annex B byte stream, and the reverse. */
final class AnnexB {
    private AnnexB() {
    }

    /** Splits at 0x000001 start codes; the zero bytes before a start code (zero_byte, trailing_zero_8bits) go. */
    static List<byte[]> split(byte[] stream) {
        List<byte[]> nals = new ArrayList<>();
        int start = -1;
        for (int i = 0; i + 2 < stream.length; i++) {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1) {
                addNal(nals, stream, start, i);
                start = i + 3;
                i += 2;
            }
        }
        addNal(nals, stream, start, stream.length);
        return nals;
    }

    private static void addNal(List<byte[]> nals, byte[] stream, int start, int end) {
        if (start < 0) {
            return;
        }
        while (end > start && stream[end - 1] == 0) {
            end--;
        }
        if (end > start) {
            nals.add(Arrays.copyOfRange(stream, start, end));
        }
    }

    static byte[] join(List<byte[]> nals) {
        int size = nals.stream().mapToInt(n -> n.length + 4).sum();
        byte[] out = new byte[size];
        int pos = 0;
        for (byte[] nal : nals) {
            out[pos + 3] = 1;
            System.arraycopy(nal, 0, out, pos + 4, nal.length);
            pos += nal.length + 4;
        }
        return out;
    }
}
