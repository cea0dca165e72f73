package io.estuary.media.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OpusConfigTest {

    @Test
    void buildsTheIdentificationHeaderOfRfc7845() {
        OpusConfig c = OpusConfig.of(2, 312, 48_000);
        // "OpusHead", version 1, 2 channels, pre-skip 312 (LE), 48000 Hz (LE), gain 0, mapping family 0
        assertArrayEquals(HexFormat.of().parseHex("4f707573486561640102380180bb0000000000"), c.opusHead());
        assertEquals(c, OpusConfig.parse(c.opusHead()));
        assertEquals(48_000, c.sampleRate());
        assertEquals("opus", c.codecString());
    }

    @Test
    void refusesWhatIsNotAnOpusHead() {
        assertThrows(IllegalArgumentException.class, () -> OpusConfig.parse(new byte[19]));
        assertThrows(IllegalArgumentException.class, () -> OpusConfig.parse("OpusHead".getBytes()));
        byte[] v2 = OpusConfig.of(1, 0, 16_000).opusHead();
        v2[8] = 0x10;
        assertThrows(IllegalArgumentException.class, () -> OpusConfig.parse(v2));
    }

    @Test
    void tracksTakeLabelsOfUrlSafeCharactersOnly() {
        TrackInfo t = TrackInfo.audio(3, OpusConfig.of(2, 0, 48_000));
        assertEquals("720p", t.withLabel("720p").label());
        assertEquals(48_000, t.timescale());
        assertThrows(IllegalArgumentException.class, () -> t.withLabel("Bad-Name"));
        assertEquals(7, t.withTrackId(7).trackId());
    }
}
