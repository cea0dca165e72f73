package io.estuary.packager.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.packager.cmaf.SegmenterListener;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class LiveWindowTest {

    @Test
    void aSegmentIsTheConcatenationOfItsParts() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segment(4);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] part : f.segmentParts.get("video/0")) {
            expected.writeBytes(part);
        }
        assertArrayEquals(expected.toByteArray(), f.object("video/e1/0.m4s").body());
        assertEquals("video-0-0;video-0-1;video-0-2;video-0-3;", f.object("video/e1/0.m4s").bodyText());
        assertEquals("audio-0-2;", f.object("audio/e1/0.2.m4s").bodyText());
        assertEquals(HlsResponse.AUDIO_MP4, f.object("audio/e1/0.m4s").contentType());
        assertEquals("init-video-e1", f.object("video/e1/init.mp4").bodyText());
    }

    @Test
    void evictionByCountAndTheDiscontinuitySequence() {
        HlsFixture f = new HlsFixture(HlsFixture.config(3, 256L << 20));
        f.start("e1", HlsFixture.VIDEO);
        f.segments(2);
        f.stream.onSessionEnd();
        f.start("e2", HlsFixture.VIDEO);
        f.segments(2); // 0,1 (e1) 2,3 (e2): 0 leaves
        String text = f.playlist("video");
        assertTrue(text.contains("#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
                + "#EXT-X-MAP:URI=\"video/e1/init.mp4\"\n"), text);
        assertEquals(Status.OK, f.object("video/e1/0.m4s").status(),
                "a segment removed from the playlist stays available for a while (RFC 8216bis 6.2.2)");
        assertEquals(Status.OK, f.object("video/e1/0.0.m4s").status());
        assertEquals(Status.OK, f.object("video/e1/1.m4s").status());

        f.segments(1); // 1 leaves: the first segment is the discontinuity
        text = f.playlist("video");
        assertTrue(text.contains("#EXT-X-MEDIA-SEQUENCE:2\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n#EXT-X-DISCONTINUITY\n"
                + "#EXT-X-MAP:URI=\"video/e2/init.mp4\"\n"), text);
        assertEquals(Status.OK, f.object("video/e1/init.mp4").status(), "retired segments still refer to e1");

        f.segments(1); // 2 leaves: its discontinuity is counted
        text = f.playlist("video");
        assertTrue(text.contains("#EXT-X-MEDIA-SEQUENCE:3\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n"
                + "#EXT-X-MAP:URI=\"video/e2/init.mp4\"\n"), text);
        assertEquals(Status.OK, f.object("video/e2/init.mp4").status());

        f.segments(4); // 0..9: 7, 8, 9 listed, 3..6 retired (the playlist's length plus one): e1 is gone
        assertEquals(Status.NOT_FOUND, f.object("video/e1/0.m4s").status());
        assertEquals(Status.NOT_FOUND, f.object("video/e1/1.0.m4s").status());
        assertEquals(Status.NOT_FOUND, f.object("video/e2/2.m4s").status());
        assertEquals(Status.OK, f.object("video/e2/3.m4s").status());
        assertEquals(Status.NOT_FOUND, f.object("video/e1/init.mp4").status(), "no segment refers to e1 any more");
    }

    @Test
    void evictionByBytesAcrossTracks() {
        HlsFixture f = new HlsFixture(HlsFixture.config(10, 1 << 20));
        f.partBytes = 100_000; // a segment of one track is 4 parts of 100 kB, held once (never assembled)
        f.start("e1", HlsFixture.VIDEO, HlsFixture.AUDIO);
        f.segments(2); // 1.6 MB > 1 MiB: the oldest segments go
        assertTrue(f.playlist("video").contains("#EXT-X-MEDIA-SEQUENCE:1\n"));
        assertTrue(f.playlist("audio").contains("#EXT-X-MEDIA-SEQUENCE:1\n"));
        assertEquals(Status.NOT_FOUND, f.object("video/e1/0.m4s").status());
        assertEquals(Status.NOT_FOUND, f.object("audio/e1/0.m4s").status());
        assertEquals(Status.OK, f.object("video/e1/1.m4s").status());
        assertEquals(400_000, f.object("video/e1/1.m4s").body().length);
        assertEquals(16, f.stream.partsProduced(), "2 segments of 4 parts on 2 tracks");
        assertEquals(4, f.stream.segmentsProduced());
        assertTrue(f.stream.windowBytes() <= 1 << 20 && f.stream.windowBytes() >= 800_000,
                "window bytes as held: " + f.stream.windowBytes());
    }

    @Test
    void mediaSequenceContinuesAcrossSessions() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segments(3);
        f.stream.onSessionEnd();
        f.start("e2", HlsFixture.VIDEO, HlsFixture.AUDIO);
        f.segment(4);
        assertEquals(Status.OK, f.object("video/e2/3.m4s").status());
        assertEquals(Status.OK, f.object("audio/e2/3.0.m4s").status());
        assertEquals(Status.NOT_FOUND, f.object("video/e2/0.m4s").status());
    }

    @Test
    void unknownOrMalformedObjectsAreNotFound() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segment(4);
        for (String path : new String[] {"video/e1/3.m4s", "video/e9/0.m4s", "720p/e1/0.m4s", "video/e1/0.9.m4s",
                "video/e1/x.m4s", "video/e1/../0.m4s", "video/0.m4s", "", "video/e1/init.mp4x",
                "video/e9/init.mp4"}) {
            HlsResponse r = f.object(path);
            assertEquals(Status.NOT_FOUND, r.status(), path);
            assertEquals(CacheClass.NEGATIVE, r.cache(), path);
        }
    }

    @Test
    void livenessIdleTimeAndLatency() {
        HlsFixture f = new HlsFixture(HlsFixture.config(10, 256L << 20));
        assertEquals(HlsFixture.NOW.toEpochMilli(), f.stream.idleSinceMillis());
        f.start("e1", HlsFixture.VIDEO);
        assertTrue(f.stream.isLive());
        assertEquals(-1, f.stream.idleSinceMillis());
        f.segment(4);
        assertEquals(4, f.stream.partLatency().count());
        assertEquals(250_000_000L, f.stream.partLatency().p50Nanos());
        f.stream.onSessionEnd();
        assertEquals(false, f.stream.isLive());
        assertEquals(HlsFixture.NOW.toEpochMilli(), f.stream.idleSinceMillis());
    }

    @Test
    void aTakenOverSessionsLateEventsDoNotEndTheNewSession() {
        HlsFixture f = new HlsFixture(HlsFixture.config(10, 256L << 20));
        SegmenterListener first = f.stream.openSession();
        SegmenterListener second = f.stream.openSession();
        f.target = first;
        f.start("e1", HlsFixture.VIDEO, HlsFixture.AUDIO);
        f.segment(4);
        f.part(false); // the first session's open segment 1, never finished: the publisher was taken over

        f.target = second;
        f.start("e2", HlsFixture.VIDEO); // the new session has video only
        f.segment(4);
        first.onSessionEnd(); // the old session's end arrives late, through its own queue
        f.target = first;
        f.part(false); // and so might a part it flushed

        assertTrue(f.stream.isLive(), "the new session is still live");
        String video = f.playlist("video");
        assertTrue(video.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"video/e2/init.mp4\""), video);
        assertTrue(video.contains("#EXT-X-PRELOAD-HINT"), "a live playlist keeps its preload hint: " + video);
        assertTrue(video.contains("video/e1/1.m4s"), "the replaced session's open segment was closed: " + video);
        assertEquals(Status.OK, f.object("video/e2/2.m4s").status());
        assertEquals(Status.NOT_FOUND, f.object("video/e1/3.m4s").status(), "the late part was not added");
        assertEquals(Status.OK, f.stream.multivariantPlaylist().join().status(),
                "the multivariant playlist no longer waits for the old session's audio");
    }
}
