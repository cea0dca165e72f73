package io.estuary.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.estuary.media.router.StreamKey;
import org.junit.jupiter.api.Test;

class LivePathTest {

    @Test
    void recognisesEachUrlShapeOfAStream() {
        StreamKey demo = new StreamKey("live", "demo");
        assertEquals(new LivePath(demo, LivePath.Kind.MULTIVARIANT, "index"), LivePath.parse("/live/demo/index.m3u8"));
        assertEquals(new LivePath(demo, LivePath.Kind.MEDIA_PLAYLIST, "video"),
                LivePath.parse("/live/demo/video.m3u8"));
        assertEquals(new LivePath(demo, LivePath.Kind.MEDIA_OBJECT, "audio/mfx3k2/init.mp4"),
                LivePath.parse("/live/demo/audio/mfx3k2/init.mp4"));
        assertEquals(new LivePath(demo, LivePath.Kind.MEDIA_OBJECT, "video/mfx3k2/41.m4s"),
                LivePath.parse("/live/demo/video/mfx3k2/41.m4s"));
        assertEquals(new LivePath(demo, LivePath.Kind.MEDIA_OBJECT, "video/mfx3k2/41.3.m4s"),
                LivePath.parse("/live/demo/video/mfx3k2/41.3.m4s"));
    }

    @Test
    void rejectsAnythingElse() {
        assertNull(LivePath.parse("/live/demo"));
        assertNull(LivePath.parse("/live/demo/"));
        assertNull(LivePath.parse("/live/../etc/passwd"));
        assertNull(LivePath.parse("/live/demo/../../x.m3u8"));
        assertNull(LivePath.parse("/live/demo/video/e1/../../index.m3u8"));
        assertNull(LivePath.parse("/live/demo/Video.m3u8"));
        assertNull(LivePath.parse("/live/demo/video/e1/41.ts"));
        assertNull(LivePath.parse("/live/demo/video/e1/x41.m4s"));
        assertNull(LivePath.parse("/live/-demo/index.m3u8"));
        assertNull(LivePath.parse("/live/demo/video/e1/1234567890123.m4s"));
        assertNull(LivePath.parse("/a/b/c/index.m3u8"));
    }
}
