package io.estuary.protocols.webrtc.srtp;

import java.util.Arrays;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * A region of a byte array as jitsi-srtp sees a packet. Unprotecting only shrinks it, so it works in place in the
 * caller's array; protecting appends the index and tag, for which {@link #grow} reallocates.
 */
final class PacketBuffer implements ByteArrayBuffer {
    private byte[] buffer;
    private int offset;
    private int length;

    PacketBuffer(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        if (len < 0 || offset + len > buffer.length) {
            throw new IllegalArgumentException("length " + len + " does not fit the buffer");
        }
        length = len;
    }

    @Override
    public void setOffset(int off) {
        if (off < 0 || off + length > buffer.length) {
            throw new IllegalArgumentException("offset " + off + " does not fit the buffer");
        }
        offset = off;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] outBuf) {
        System.arraycopy(buffer, offset + off, outBuf, 0, len);
    }

    /** Makes room for {@code howMuch} more bytes after the packet. */
    @Override
    public void grow(int howMuch) {
        int needed = offset + length + howMuch;
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, needed);
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        length = Math.max(0, length - len);
    }

    /** The packet as a fresh array of exactly its length. */
    byte[] toArray() {
        return Arrays.copyOfRange(buffer, offset, offset + length);
    }
}
