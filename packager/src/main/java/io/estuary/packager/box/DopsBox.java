package io.estuary.packager.box;

/**
 * {@code dOps}, the OpusSpecificBox ("Encapsulation of Opus in ISO Base Media File Format", 4.3.2): the fields of
 * the Ogg Opus identification header (RFC 7845, 5.1) without its magic, version 0, and big-endian where the
 * OpusHead is little-endian.
 */
public final class DopsBox {

    /** "OpusHead", version, channel count, pre-skip, input rate, gain, mapping family. */
    static final int HEAD_FIXED_BYTES = 19;

    private DopsBox() {
    }

    /**
     * @param opusHead the identification header as ingest carries it; with a channel mapping family other than 0
     *                 it must hold the stream count, the coupled count and one mapping byte per channel
     */
    public static void write(BoxWriter w, byte[] opusHead) {
        if (opusHead.length < HEAD_FIXED_BYTES) {
            throw new IllegalArgumentException("an OpusHead has at least 19 bytes: " + opusHead.length);
        }
        int channels = opusHead[9] & 0xff;
        int family = opusHead[18] & 0xff;
        int mappingBytes = family == 0 ? 0 : 2 + channels;
        if (opusHead.length < HEAD_FIXED_BYTES + mappingBytes) {
            throw new IllegalArgumentException("OpusHead of mapping family " + family + " and " + channels
                    + " channels lacks its channel mapping table: " + opusHead.length + " bytes");
        }
        int box = w.start("dOps");
        w.u8(0); // Version
        w.u8(channels); // OutputChannelCount
        w.u16(le16(opusHead, 10)); // PreSkip
        w.u32(le16(opusHead, 12) | (long) le16(opusHead, 14) << 16); // InputSampleRate
        w.u16(le16(opusHead, 16)); // OutputGain, signed 8.8: the same 16 bits
        w.u8(family); // ChannelMappingFamily
        // StreamCount, CoupledCount and ChannelMapping are single bytes: the same in both byte orders.
        w.bytes(opusHead, HEAD_FIXED_BYTES, mappingBytes);
        w.end(box);
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }
}
