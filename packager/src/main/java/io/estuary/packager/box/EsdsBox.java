package io.estuary.packager.box;

/**
 * {@code esds} (ISO/IEC 14496-14, 5.6): an ES_Descriptor (ISO/IEC 14496-1, 7.2.6.5) holding the
 * DecoderConfigDescriptor of an MPEG-4 audio stream, its DecoderSpecificInfo (the AudioSpecificConfig) and the
 * SLConfigDescriptor that MP4 files require.
 */
public final class EsdsBox {

    static final int ES_DESCRIPTOR_TAG = 0x03;
    static final int DECODER_CONFIG_TAG = 0x04;
    static final int DECODER_SPECIFIC_INFO_TAG = 0x05;
    static final int SL_CONFIG_TAG = 0x06;
    /** objectTypeIndication: Audio ISO/IEC 14496-3 (AAC and its extensions). */
    static final int OBJECT_TYPE_MPEG4_AUDIO = 0x40;
    /** streamType 5 (audio) in the top 6 bits, upStream 0, reserved 1. */
    static final int STREAM_TYPE_AUDIO = (0x05 << 2) | 0x01;

    private EsdsBox() {
    }

    public static void write(BoxWriter w, byte[] audioSpecificConfig) {
        int decoderConfigContent = 13 + descriptorSize(audioSpecificConfig.length);
        int esContent = 3 + descriptorSize(decoderConfigContent) + descriptorSize(1);

        int box = w.startFull("esds", 0, 0);
        descriptorHeader(w, ES_DESCRIPTOR_TAG, esContent);
        w.u16(0); // ES_ID: 0 in a file (ISO/IEC 14496-14, 3.1.2)
        w.u8(0); // streamDependenceFlag, URL_Flag, OCRstreamFlag 0; streamPriority 0
        descriptorHeader(w, DECODER_CONFIG_TAG, decoderConfigContent);
        w.u8(OBJECT_TYPE_MPEG4_AUDIO);
        w.u8(STREAM_TYPE_AUDIO);
        w.u24(0); // bufferSizeDB: unknown
        w.u32(0); // maxBitrate: unknown
        w.u32(0); // avgBitrate: unknown (variable)
        descriptorHeader(w, DECODER_SPECIFIC_INFO_TAG, audioSpecificConfig.length);
        w.bytes(audioSpecificConfig);
        descriptorHeader(w, SL_CONFIG_TAG, 1);
        w.u8(0x02); // predefined: reserved for use in MP4 files
        w.end(box);
    }

    /** A descriptor's whole size: tag, expandable length and {@code contentLength} bytes of content. */
    private static int descriptorSize(int contentLength) {
        return 1 + lengthBytes(contentLength) + contentLength;
    }

    private static void descriptorHeader(BoxWriter w, int tag, int contentLength) {
        w.u8(tag);
        int n = lengthBytes(contentLength);
        // expandable size: 7 bits per byte, most significant first, top bit set on all but the last byte
        for (int i = n - 1; i >= 0; i--) {
            int sevenBits = (contentLength >>> (7 * i)) & 0x7f;
            w.u8(i == 0 ? sevenBits : sevenBits | 0x80);
        }
    }

    private static int lengthBytes(int contentLength) {
        if (contentLength < 0 || contentLength >= 1 << 28) {
            throw new IllegalArgumentException("descriptor too large: " + contentLength);
        }
        int n = 1;
        while (contentLength >= 1 << (7 * n)) {
            n++;
        }
        return n;
    }
}
