package io.estuary.packager.box;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Byte-exact vectors for the box writers, written out field by field from ISO/IEC 14496-12 and -14. */
class BoxGoldenTest {

    static byte[] hex(String... fields) {
        return HexFormat.of().parseHex(String.join("", fields).replace(" ", ""));
    }

    static byte[] write(Consumer<BoxWriter> box) {
        BoxWriter w = new BoxWriter(1);
        box.accept(w);
        return w.toByteArray();
    }

    static void assertBytes(byte[] expected, byte[] actual) {
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(actual));
    }

    @Test
    void mfhd() {
        assertBytes(hex(
                "00000010", // size 16
                "6d666864", // 'mfhd'
                "00 000000", // version 0, flags 0
                "0000002a"), // sequence_number 42
                write(w -> MfhdBox.write(w, 42)));
    }

    @Test
    void mfhdSequenceNumberIsUnsigned32() {
        assertBytes(hex("00000010", "6d666864", "00000000", "fffffffe"),
                write(w -> MfhdBox.write(w, 0xfffffffeL)));
    }

    @Test
    void tfhd() {
        assertBytes(hex(
                "00000010", // size 16
                "74666864", // 'tfhd'
                "00 020000", // version 0, flags default-base-is-moof
                "00000001"), // track_ID 1
                write(w -> TfhdBox.write(w, 1)));
    }

    @Test
    void tfdtIsVersion1With64BitTime() {
        assertBytes(hex(
                "00000014", // size 20
                "74666474", // 'tfdt'
                "01 000000", // version 1, flags 0
                "00000001 2a05f200"), // baseMediaDecodeTime 5_000_000_000 (past 32 bits)
                write(w -> TfdtBox.write(w, 5_000_000_000L)));
    }

    @Test
    void tfdtRejectsNegativeTime() {
        assertThrows(IllegalArgumentException.class, () -> write(w -> TfdtBox.write(w, -1)));
    }

    @Test
    void trunWithoutNegativeOffsets() {
        BoxWriter w = new BoxWriter();
        int dataOffsetAt = TrunBox.write(w, List.of(
                new TrunBox.Sample(3000, 0x1234, SampleFlags.SYNC, 0),
                new TrunBox.Sample(3000, 0x56, SampleFlags.NON_SYNC, 6000)));
        w.patchU32(dataOffsetAt, 0x70);
        assertBytes(hex(
                "00000034", // size 20 + 2 * 16 = 52
                "7472756e", // 'trun'
                "01 000f01", // version 1; flags: data-offset, duration, size, flags, composition offset
                "00000002", // sample_count 2
                "00000070", // data_offset (patched)
                // sample 1: duration 3000, size 0x1234, sync (depends_on 2), cto 0
                "00000bb8", "00001234", "02000000", "00000000",
                // sample 2: duration 3000, size 0x56, non-sync (depends_on 1, is_non_sync 1), cto 6000
                "00000bb8", "00000056", "01010000", "00001770"),
                w.toByteArray());
        assertEquals(16, dataOffsetAt);
    }

    @Test
    void trunWithNegativeCompositionOffset() {
        assertBytes(hex(
                "00000024", // size 36
                "7472756e", // 'trun'
                "01 000f01", // version 1: composition offsets are signed
                "00000001", // sample_count 1
                "00000000", // data_offset (not patched)
                "00000400", // duration 1024
                "00000010", // size 16
                "01010000", // non-sync
                "fffff448"), // composition offset -3000, two's complement
                write(w -> TrunBox.write(w, List.of(new TrunBox.Sample(1024, 16, SampleFlags.NON_SYNC, -3000)))));
    }

    @Test
    void mdhdWithUndeterminedLanguage() {
        assertBytes(hex(
                "00000020", // size 32
                "6d646864", // 'mdhd'
                "00 000000", // version 0, flags 0
                "00000000", // creation_time
                "00000000", // modification_time
                "0000bb80", // timescale 48000
                "00000000", // duration
                "55c4", // pad 0, 'u'-0x60=21, 'n'-0x60=14, 'd'-0x60=4: 0 10101 01110 00100
                "0000"), // pre_defined
                write(w -> MdhdBox.write(w, 48000, "und")));
    }

    @Test
    void hdlrForVideo() {
        assertBytes(hex(
                "0000002d", // size 45
                "68646c72", // 'hdlr'
                "00 000000", // version 0, flags 0
                "00000000", // pre_defined
                "76696465", // handler_type 'vide'
                "00000000 00000000 00000000", // reserved
                "566964656f48616e646c6572 00"), // name "VideoHandler", NUL-terminated
                write(w -> HdlrBox.write(w, "vide", "VideoHandler")));
    }

    @Test
    void esdsForAacLcStereo48k() {
        // AudioSpecificConfig 0x11 0x90: object type 2 (AAC LC), frequency index 3 (48 kHz), channels 2
        assertBytes(hex(
                "00000027", // size 39
                "65736473", // 'esds'
                "00 000000", // version 0, flags 0
                "03 19", // ES_Descriptor, 25 bytes follow
                "0000", // ES_ID 0
                "00", // no dependence, no URL, no OCR stream, priority 0
                "04 11", // DecoderConfigDescriptor, 17 bytes follow
                "40", // objectTypeIndication: MPEG-4 audio
                "15", // streamType 5 (audio) << 2, upStream 0, reserved 1
                "000000", // bufferSizeDB
                "00000000", // maxBitrate
                "00000000", // avgBitrate
                "05 02", // DecoderSpecificInfo, 2 bytes follow
                "1190", // the AudioSpecificConfig
                "06 01", // SLConfigDescriptor, 1 byte follows
                "02"), // predefined: MP4
                write(w -> EsdsBox.write(w, new byte[] {0x11, (byte) 0x90})));
    }

    @Test
    void esdsWithLongConfigUsesMultiByteLength() {
        byte[] asc = new byte[200];
        byte[] esds = write(w -> EsdsBox.write(w, asc));
        // DecoderSpecificInfo length 200 = 0b1_1001000: 0x81 0x48; DecoderConfig 13 + 3 + 200 = 216: 0x81 0x58;
        // ES_Descriptor 3 + 3 + 216 + 3 = 225: 0x81 0x61
        assertBytes(hex("03 8161"), java.util.Arrays.copyOfRange(esds, 12, 15));
        assertBytes(hex("04 8158"), java.util.Arrays.copyOfRange(esds, 18, 21));
        assertBytes(hex("05 8148"), java.util.Arrays.copyOfRange(esds, 34, 37));
        assertEquals(12 + 3 + 225, esds.length);
    }

    @Test
    void trex() {
        assertBytes(hex(
                "00000020", "74726578", "00000000", // size 32, 'trex', version 0, flags 0
                "00000001", // track_ID
                "00000001", // default_sample_description_index
                "00000000", "00000000", "00000000"), // default duration, size, flags
                write(w -> TrexBox.write(w, 1)));
    }

    @Test
    void nestedBoxesGetTheirSizesPatched() {
        BoxWriter w = new BoxWriter(1);
        int outer = w.start("moof");
        int inner = w.start("free");
        w.bytes(new byte[] {1, 2, 3});
        w.end(inner);
        w.end(outer);
        assertArrayEquals(hex("00000013 6d6f6f66", "0000000b 66726565 010203"), w.toByteArray());
    }

    @Test
    void fourccMustHaveFourCharacters() {
        assertThrows(IllegalArgumentException.class, () -> new BoxWriter().start("url"));
    }
}
