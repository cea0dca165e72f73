package io.estuary.packager.box;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte writer for ISO-BMFF boxes. {@link #start(String)} writes a box header with a
 * placeholder size and {@link #end(int)} patches the size once the box's content is written, so box writers never
 * compute sizes up front. Not thread-safe; one writer builds one byte array.
 */
public final class BoxWriter {

    private byte[] buf;
    private int pos;

    public BoxWriter() {
        this(256);
    }

    public BoxWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Bytes written so far; also the offset the next byte lands at. */
    public int position() {
        return pos;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Starts a box: a 32-bit size placeholder and the fourcc. Returns the box's offset, to pass to {@link #end}. */
    public int start(String fourcc) {
        int at = pos;
        u32(0);
        fourcc(fourcc);
        return at;
    }

    /** Starts a full box: the box header, then version (8 bits) and flags (24 bits). */
    public int startFull(String fourcc, int version, int flags) {
        int at = start(fourcc);
        u8(version);
        u24(flags);
        return at;
    }

    /** Ends the box started at {@code boxStart} by writing its size. */
    public void end(int boxStart) {
        long size = (long) pos - boxStart;
        if (boxStart < 0 || boxStart + 8 > pos) {
            throw new IllegalArgumentException("no box starts at " + boxStart);
        }
        patchU32(boxStart, size);
    }

    public BoxWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    public BoxWriter u16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    public BoxWriter u24(int v) {
        ensure(3);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    /** Writes the low 32 bits of {@code v}: unsigned values up to 2^32-1 and signed ints alike. */
    public BoxWriter u32(long v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    public BoxWriter u64(long v) {
        u32(v >>> 32);
        return u32(v);
    }

    public BoxWriter fourcc(String fourcc) {
        byte[] b = fourcc.getBytes(StandardCharsets.US_ASCII);
        if (b.length != 4) {
            throw new IllegalArgumentException("a fourcc has 4 characters: '" + fourcc + "'");
        }
        return bytes(b);
    }

    public BoxWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public BoxWriter bytes(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, buf, pos, length);
        pos += length;
        return this;
    }

    public BoxWriter zeros(int count) {
        ensure(count);
        pos += count; // the buffer is zero-filled and only ever grows
        return this;
    }

    /** A UTF-8 string with its terminating NUL (hdlr names, url locations). */
    public BoxWriter cString(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8)).u8(0);
    }

    /** Overwrites 32 bits already written (sizes, trun data offsets). */
    public void patchU32(int at, long v) {
        if (at < 0 || at + 4 > pos) {
            throw new IndexOutOfBoundsException("patch at " + at + " outside 0.." + pos);
        }
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    private void ensure(int more) {
        if (more < 0) {
            throw new IllegalArgumentException("negative length " + more);
        }
        long needed = (long) pos + more;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("box data too large: " + needed + " bytes");
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * buf.length)));
        }
    }
}
