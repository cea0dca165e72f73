package io.estuary.packager.box;

import static io.estuary.packager.box.BoxGoldenTest.assertBytes;
import static io.estuary.packager.box.BoxGoldenTest.hex;
import static io.estuary.packager.box.BoxGoldenTest.write;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.frame.OpusConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact vectors for Opus in ISO-BMFF, written out field by field from "Encapsulation of Opus in ISO Base
 * Media File Format" (4.3.1, 4.3.2, 4.4) and RFC 7845 (5.1), for the OpusHead WebRTC ingest builds: stereo,
 * pre-skip 312 (what libopus reports), input rate 48 kHz.
 */
class OpusBoxGoldenTest {

    static final byte[] STEREO_HEAD = OpusConfig.of(2, 312, 48_000).opusHead();

    static final String DOPS_STEREO = String.join("",
            "00000013", // size 8 + 11 = 19
            "644f7073", // 'dOps'
            "00", // Version 0
            "02", // OutputChannelCount 2
            "0138", // PreSkip 312, big-endian (the OpusHead has 38 01)
            "0000bb80", // InputSampleRate 48000, big-endian (the OpusHead has 80 bb 00 00)
            "0000", // OutputGain 0
            "00"); // ChannelMappingFamily 0: no mapping table

    @Test
    void theOpusHeadIsWhatRfc7845Describes() {
        assertBytes(hex("4f70757348656164", // "OpusHead"
                "01", "02", "3801", "80bb0000", "0000", "00"), STEREO_HEAD);
    }

    @Test
    void dopsOfAStereoWebRtcStream() {
        assertBytes(hex(DOPS_STEREO), write(w -> DopsBox.write(w, STEREO_HEAD)));
    }

    @Test
    void opusSampleEntry() {
        assertBytes(hex(
                "00000037", // size 8 + 28 + 19 = 55
                "4f707573", // 'Opus'
                "000000000000", // SampleEntry reserved
                "0001", // data_reference_index 1
                "0000000000000000", // AudioSampleEntry reserved
                "0002", // channelcount 2
                "0010", // samplesize 16
                "0000", // pre_defined
                "0000", // reserved
                "bb800000", // samplerate 48000 << 16
                DOPS_STEREO),
                write(w -> OpusBox.write(w, 2, STEREO_HEAD)));
    }

    @Test
    void editListSkippingThePreSkip() {
        assertBytes(hex(
                "00000024", // edts: size 8 + 28 = 36
                "65647473", // 'edts'
                "0000001c", // elst: size 28
                "656c7374", // 'elst'
                "00 000000", // version 0, flags 0
                "00000001", // entry_count 1
                "00000000", // segment_duration 0: the whole (fragmented) media
                "00000138", // media_time 312: the pre-skip
                "0001", "0000"), // media_rate 1.0
                write(w -> EdtsBox.write(w, 312)));
    }

    @Test
    void rollGroupOf80MillisecondsOfTwentyMillisecondPackets() {
        assertBytes(hex(
                "0000001a", // size 26
                "73677064", // 'sgpd'
                "01 000000", // version 1, flags 0
                "726f6c6c", // grouping_type 'roll'
                "00000002", // default_length 2
                "00000001", // entry_count 1
                "fffc"), // roll_distance -4: four 20 ms packets before the one started at
                write(w -> RollGroupBoxes.writeDescription(w, -4)));
        assertBytes(hex("00000014", "73626770", "00 000000", "726f6c6c", // 'sbgp' v0, 'roll'
                "00000000"), // entry_count 0: the sample table of a fragmented track has no samples
                write(RollGroupBoxes::writeEmptyMapping));
        assertBytes(hex("0000001c", "73626770", "00 000000", "726f6c6c", "00000001", // one run
                "00000019", // sample_count 25
                "00000001"), // group_description_index 1: the sgpd in moov
                write(w -> RollGroupBoxes.writeMapping(w, 25)));
        assertThrows(IllegalArgumentException.class, () -> write(w -> RollGroupBoxes.writeDescription(w, 0)));
    }

    @Test
    void surroundKeepsItsChannelMappingTable() {
        // 5.1 (RFC 7845 5.1.1.2, family 1): 4 streams, 2 of them coupled, Vorbis channel order.
        byte[] head = Arrays.copyOf(OpusConfig.of(2, 312, 48_000).opusHead(), 27);
        head[9] = 6;
        head[16] = (byte) 0x00; // output gain -256 (-1 dB in Q7.8): ff 00 in big-endian
        head[17] = (byte) 0xff;
        head[18] = 1;
        byte[] table = {4, 2, 0, 4, 1, 2, 3, 5};
        System.arraycopy(table, 0, head, 19, table.length);
        assertBytes(hex("0000001b", "644f7073", "00", "06", "0138", "0000bb80", "ff00", "01",
                "04", "02", "000401020305"), // StreamCount, CoupledCount, ChannelMapping[6]
                write(w -> DopsBox.write(w, head)));
    }

    @Test
    void truncatedHeadsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> write(w -> DopsBox.write(w, Arrays.copyOf(STEREO_HEAD, 18))));
        assertTrue(e.getMessage().contains("19 bytes"), e.getMessage());
        byte[] family1 = STEREO_HEAD.clone();
        family1[18] = 1; // a mapping table should follow, and does not
        e = assertThrows(IllegalArgumentException.class, () -> write(w -> DopsBox.write(w, family1)));
        assertTrue(e.getMessage().contains("mapping table"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> write(w -> EdtsBox.write(w, -1)));
    }
}
