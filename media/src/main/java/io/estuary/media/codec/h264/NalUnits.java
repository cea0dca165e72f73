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
        int zeros = 0;
        for (int i = offset; i < offset + length; i++) {
            int b = nal[i] & 0xff;
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }
}
