package io.estuary.loadtests.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlvFileTest {
    private static final byte[] AVC_CONFIG = {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f};
    private static final byte[] AVC_KEY = {0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65};
    private static final byte[] AVC_INTER = {0x27, 1, 0, 0, 0, 0, 0, 0, 1, 0x41};
    private static final byte[] AVC_END = {0x17, 2, 0, 0, 0};
    private static final byte[] AAC_CONFIG = {(byte) 0xAF, 0, 0x11, (byte) 0x90};
    private static final byte[] AAC_FRAME = {(byte) 0xAF, 1, 0x21, 0x10};
    private static final byte[] META = {2, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a', 5};

    @Test
    void keepsMediaTagsInOrderAndTheMetadataBody() throws IOException {
        FlvFile flv = FlvFile.parse(file(tag(18, 0, META), tag(9, 0, AVC_CONFIG), tag(8, 0, AAC_CONFIG),
                tag(9, 0, AVC_KEY), tag(8, 21, AAC_FRAME), tag(9, 33, AVC_INTER), tag(9, 66, AVC_INTER)));
        List<FlvFile.Tag> tags = flv.tags();
        assertEquals(6, tags.size());
        assertTrue(tags.get(0).config());
        assertTrue(tags.get(1).config());
        assertFalse(tags.get(2).config());
        assertEquals(21, tags.get(3).timestamp());
        assertArrayEquals(META, flv.metadata());
        // Three frames 33 ms apart: the next loop starts one frame after the last.
        assertEquals(99, flv.loopDurationMs());
    }

    @Test
    void dropsTheEndOfSequenceAndAudioPastTheLastVideoFrame() throws IOException {
        FlvFile flv = FlvFile.parse(file(tag(9, 0, AVC_KEY), tag(9, 40, AVC_INTER), tag(8, 70, AAC_FRAME),
                tag(8, 85, AAC_FRAME), tag(9, 40, AVC_END)));
        assertEquals(80, flv.loopDurationMs());
        assertEquals(3, flv.tags().size());
        assertEquals(70, flv.tags().get(2).timestamp());
    }

    @Test
    void readsTheExtendedTimestampByte() throws IOException {
        byte[] tag = tag(9, 0x01000010L, AVC_KEY);
        FlvFile flv = FlvFile.parse(file(tag(9, 0, AVC_KEY), tag));
        assertEquals(0x01000010L, flv.tags().get(1).timestamp());
    }

    @Test
    void stopsAtATruncatedTagAndRefusesWhatIsNotFlv() throws IOException {
        byte[] whole = file(tag(9, 0, AVC_KEY), tag(9, 33, AVC_INTER));
        byte[] cut = Arrays.copyOf(whole, whole.length - 8);
        assertEquals(1, FlvFile.parse(cut).tags().size());
        assertThrows(IOException.class, () -> FlvFile.parse("not an flv file".getBytes()));
        assertThrows(IOException.class, () -> FlvFile.parse(file(tag(18, 0, META))));
    }

    private static byte[] tag(int type, long timestamp, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(body.length >> 16);
        out.write(body.length >> 8);
        out.write(body.length);
        out.write((int) (timestamp >> 16));
        out.write((int) (timestamp >> 8));
        out.write((int) timestamp);
        out.write((int) (timestamp >> 24));
        out.writeBytes(new byte[3]);
        out.writeBytes(body);
        int size = 11 + body.length;
        out.writeBytes(new byte[] {(byte) (size >> 24), (byte) (size >> 16), (byte) (size >> 8), (byte) size});
        return out.toByteArray();
    }

    private static byte[] file(byte[]... tags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0});
        for (byte[] t : tags) {
            out.writeBytes(t);
        }
        return out.toByteArray();
    }
}
