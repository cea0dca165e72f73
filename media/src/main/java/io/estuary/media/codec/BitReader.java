package io.estuary.media.codec;

/**
 * Reads bits MSB-first, with the Exp-Golomb codes of H.264/H.265. Every read is bounds-checked: a truncated or
 * hostile bitstream throws {@link IllegalArgumentException} instead of reading past the end.
 */
public final class BitReader {
    private final byte[] data;
    private final int limitBits;
    private int position;

    public BitReader(byte[] data) {
        this(data, 0, data.length);
    }

    public BitReader(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + data.length);
        }
        this.data = data;
        this.position = offset * 8;
        this.limitBits = (offset + length) * 8;
    }

    public int readBit() {
        if (position >= limitBits) {
            throw new IllegalArgumentException("bitstream truncated at bit " + position);
        }
        int bit = (data[position >>> 3] >>> (7 - (position & 7))) & 1;
        position++;
        return bit;
    }

    public boolean readFlag() {
        return readBit() == 1;
    }

    /** Reads up to 32 bits as an unsigned value. */
    public long readBits(int count) {
        if (count < 0 || count > 32) {
            throw new IllegalArgumentException("cannot read " + count + " bits at once");
        }
        long value = 0;
        for (int i = 0; i < count; i++) {
            value = (value << 1) | readBit();
        }
        return value;
    }

    public int readInt(int count) {
        if (count > 31) {
            throw new IllegalArgumentException("use readBits for " + count + " bits");
        }
        return (int) readBits(count);
    }

    public void skipBits(int count) {
        if (count < 0 || position + (long) count > limitBits) {
            throw new IllegalArgumentException("bitstream truncated skipping " + count + " bits");
        }
        position += count;
    }

    /** ue(v). Values above 2^31-2 are rejected: no syntax element we parse is allowed to be that large. */
    public int readUe() {
        int leadingZeros = 0;
        while (readBit() == 0) {
            leadingZeros++;
            if (leadingZeros > 31) {
                throw new IllegalArgumentException("Exp-Golomb code longer than 32 bits");
            }
        }
        long value = (1L << leadingZeros) - 1 + readBits(leadingZeros);
        if (value > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("Exp-Golomb value out of range: " + value);
        }
        return (int) value;
    }

    /** se(v). */
    public int readSe() {
        int codeNum = readUe();
        int magnitude = (codeNum + 1) / 2;
        return (codeNum & 1) == 1 ? magnitude : -magnitude;
    }

    public int bitsLeft() {
        return limitBits - position;
    }
}
