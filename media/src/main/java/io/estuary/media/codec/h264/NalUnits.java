package io.estuary.media.codec.h264;

import java.io.ByteArrayOutputStream;

/** Helpers for H.264 NAL units: types and removal of emulation-prevention bytes. */
public final class NalUnits {
    public static final int TYPE_NON_IDR = 1;
    public static final int TYPE_IDR = 5;
    public static final int TYPE_SEI = 6;
    public static final int TYPE_SPS = 7;
    public static final int TYPE_PPS = 8;
    public static final int TYPE_AUD = 9;

    private NalUnits() {
    }

    public static int type(byte header) {
        return header & 0x1f;
    }

    /** Removes the 0x03 of every 0x000003 sequence, giving the RBSP a bit reader can parse. */
    public static byte[] unescapeRbsp(byte[] nal, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        for (int i = offset; i < offset + length; i++) {
            if (!isEmulationPrevention(nal, offset, i)) {
                out.write(nal[i]);
            }
        }
        return out.toByteArray();
    }

    /**
     * How many bytes of {@code nal}, from {@code offset}, carry the first {@code rbspBytes} bytes of the RBSP that
     * {@link #unescapeRbsp} makes of them: the way back from a position in the RBSP to one in the NAL unit as
     * stored. Returns -1 when the {@code length} bytes hold fewer RBSP bytes.
     */
    public static int escapedLength(byte[] nal, int offset, int length, int rbspBytes) {
        if (rbspBytes <= 0) {
            return rbspBytes == 0 ? 0 : -1;
        }
        int seen = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!isEmulationPrevention(nal, offset, i) && ++seen == rbspBytes) {
                return i - offset + 1;
            }
        }
        return -1;
    }

    /**
     * Whether nal[i] is an emulation_prevention_three_byte (7.4.1): a 0x03 right after two zero bytes. Looking back
     * suffices: an emulation prevention byte is not zero, so it always ends a run of zeros.
     */
    private static boolean isEmulationPrevention(byte[] nal, int offset, int i) {
        return nal[i] == 3 && i - offset >= 2 && nal[i - 1] == 0 && nal[i - 2] == 0;
    }
}
