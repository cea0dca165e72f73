package io.estuary.media.codec.h264;

import java.io.ByteArrayOutputStream;

/** Test helper: writes H.264 syntax (u(n), ue(v), se(v)) MSB-first, to build parameter sets and slices by hand. */
final class BitWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int bitsInCurrent;
    private int bitCount;

    BitWriter u(int bits, long value) {
        for (int i = bits - 1; i >= 0; i--) {
            current = (current << 1) | (int) ((value >>> i) & 1);
            bitCount++;
            if (++bitsInCurrent == 8) {
                out.write(current);
                current = 0;
                bitsInCurrent = 0;
            }
        }
        return this;
    }

    BitWriter flag(boolean value) {
        return u(1, value ? 1 : 0);
    }

    BitWriter ue(long value) {
        long codeNum = value + 1;
        int length = 64 - Long.numberOfLeadingZeros(codeNum);
        return u(length - 1, 0).u(length, codeNum);
    }

    BitWriter se(long value) {
        return ue(value > 0 ? 2 * value - 1 : -2 * value);
    }

    int bitCount() {
        return bitCount;
    }

    /** rbsp_trailing_bits(): the stop bit, then zeros to the byte boundary. Returns the RBSP bytes. */
    byte[] trailingBits() {
        u(1, 1);
        while (bitsInCurrent != 0) {
            u(1, 0);
        }
        return out.toByteArray();
    }

    /** Inserts emulation_prevention_three_byte where 7.4.1 requires it, giving a NAL unit as stored. */
    static byte[] escape(byte[] rbsp) {
        ByteArrayOutputStream nal = new ByteArrayOutputStream(rbsp.length + 16);
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros == 2 && (b & 0xff) <= 3) {
                nal.write(3);
                zeros = 0;
            }
            nal.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return nal.toByteArray();
    }
}
