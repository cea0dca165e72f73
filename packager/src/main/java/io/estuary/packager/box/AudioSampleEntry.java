package io.estuary.packager.box;

/**
 * The fields every audio sample entry starts with: SampleEntry and AudioSampleEntry (ISO/IEC 14496-12, 8.5.2 and
 * 12.2.3), version 0. The codec's configuration box follows, written by the entry's own writer.
 */
final class AudioSampleEntry {

    private AudioSampleEntry() {
    }

    /** Starts the entry's box; returns its offset, for {@link BoxWriter#end}. */
    static int start(BoxWriter w, String fourcc, int channels, int sampleRate) {
        int box = w.start(fourcc);
        w.zeros(6); // SampleEntry reserved
        w.u16(1); // data_reference_index
        w.zeros(2 * 4); // reserved
        w.u16(channels);
        w.u16(16); // samplesize
        w.u16(0); // pre_defined
        w.u16(0); // reserved
        // 16.16 fixed point; a rate above 65535 Hz does not fit, and the codec's configuration is authoritative anyway.
        w.u32(sampleRate <= 0xffff ? (long) sampleRate << 16 : 0);
        return box;
    }
}
