package io.estuary.packager.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class RenderedTextTest {

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void theValidatorIsTheCrcAndLengthAndGzipIsMadeOnce() throws IOException {
        String text = "#EXTM3U\n" + "#EXTINF:2.00000,\nvideo/e1/1.m4s\n".repeat(40);
        RenderedText rendered = new RenderedText(text);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(utf8);
        assertEquals(Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(utf8.length), rendered.etag());
        assertEquals(text, new String(bytes(rendered.bytes()), StandardCharsets.UTF_8));
        ByteBuffer gzip = rendered.gzip();
        assertSame(gzip, rendered.gzip(), "compressed once, then shared");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes(gzip)))) {
            assertEquals(text, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyViewerOfOneSnapshotGetsTheSameRenderedPlaylist() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segment(4);
        RenderedText first = f.stream.mediaPlaylist("video", PlaylistQuery.NONE).join().rendered();
        assertSame(first, f.stream.mediaPlaylist("video", PlaylistQuery.NONE).join().rendered());
        assertSame(f.stream.multivariantPlaylist().join().rendered(), f.stream.multivariantPlaylist().join().rendered());
        f.part(false);
        assertNotSame(first, f.stream.mediaPlaylist("video", PlaylistQuery.NONE).join().rendered(),
                "a new part is a new snapshot");
    }
}
