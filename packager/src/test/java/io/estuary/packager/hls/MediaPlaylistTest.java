package io.estuary.packager.hls;

import static io.estuary.packager.hls.HlsFixture.AUDIO;
import static io.estuary.packager.hls.HlsFixture.VIDEO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MediaPlaylistTest {

    static final String HEADER = """
            #EXTM3U
            #EXT-X-VERSION:9
            #EXT-X-TARGETDURATION:2
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,CAN-SKIP-DATERANGES=YES,PART-HOLD-BACK=1.500
            #EXT-X-PART-INF:PART-TARGET=0.500
            """;

    /** PROGRAM-DATE-TIME of media time {@code seconds} after the fixture's base wall clock. */
    static String pdt(int seconds) {
        return "#EXT-X-PROGRAM-DATE-TIME:"
                + Instant.ofEpochMilli(HlsFixture.BASE_MILLIS + seconds * 1000L).toString().replace("Z", ".000Z")
                + "\n";
    }

    static String parts(String track, String epoch, long msn, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append("#EXT-X-PART:DURATION=0.50000,URI=\"").append(track).append('/').append(epoch).append('/')
                    .append(msn).append('.').append(i).append(".m4s\"").append(i == 0 ? ",INDEPENDENT=YES" : "")
                    .append('\n');
        }
        return b.toString();
    }

    static String extinf(String track, String epoch, long msn) {
        return "#EXTINF:2.00000,\n" + track + "/" + epoch + "/" + msn + ".m4s\n";
    }

    @Test
    void firstPartOfTheStream() {
        HlsFixture f = HlsFixture.videoAudio();
        f.part(false);
        assertEquals(HEADER + """
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-DISCONTINUITY-SEQUENCE:0
                #EXT-X-MAP:URI="video/e1/init.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:20.000Z
                #EXT-X-PART:DURATION=0.50000,URI="video/e1/0.0.m4s",INDEPENDENT=YES
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="video/e1/0.1.m4s"
                #EXT-X-RENDITION-REPORT:URI="audio.m3u8",LAST-MSN=0,LAST-PART=0
                """, f.playlist("video"));
    }

    @Test
    void completedSegmentThenPartsOfTheNext() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segment(4);
        f.part(false);
        f.part(false);
        assertEquals(HEADER + """
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-DISCONTINUITY-SEQUENCE:0
                #EXT-X-MAP:URI="video/e1/init.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:20.000Z
                #EXT-X-PART:DURATION=0.50000,URI="video/e1/0.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.50000,URI="video/e1/0.1.m4s"
                #EXT-X-PART:DURATION=0.50000,URI="video/e1/0.2.m4s"
                #EXT-X-PART:DURATION=0.50000,URI="video/e1/0.3.m4s"
                #EXTINF:2.00000,
                video/e1/0.m4s
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:22.000Z
                #EXT-X-PART:DURATION=0.50000,URI="video/e1/1.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.50000,URI="video/e1/1.1.m4s"
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="video/e1/1.2.m4s"
                #EXT-X-RENDITION-REPORT:URI="audio.m3u8",LAST-MSN=1,LAST-PART=1
                """, f.playlist("video"));
        assertEquals(HEADER + """
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-DISCONTINUITY-SEQUENCE:0
                #EXT-X-MAP:URI="audio/e1/init.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:20.000Z
                #EXT-X-PART:DURATION=0.50000,URI="audio/e1/0.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.50000,URI="audio/e1/0.1.m4s"
                #EXT-X-PART:DURATION=0.50000,URI="audio/e1/0.2.m4s"
                #EXT-X-PART:DURATION=0.50000,URI="audio/e1/0.3.m4s"
                #EXTINF:2.00000,
                audio/e1/0.m4s
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:22.000Z
                #EXT-X-PART:DURATION=0.50000,URI="audio/e1/1.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.50000,URI="audio/e1/1.1.m4s"
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="audio/e1/1.2.m4s"
                #EXT-X-RENDITION-REPORT:URI="video.m3u8",LAST-MSN=1,LAST-PART=1
                """, f.playlist("audio"));
    }

    @Test
    void sessionEndDropsThePreloadHintAndRepublishIsADiscontinuityContinuingTheMediaSequence() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segments(2);
        f.stream.onSessionEnd();
        String ended = f.playlist("video");
        assertFalse(ended.contains("PRELOAD-HINT"), ended);
        assertFalse(ended.contains("ENDLIST"), ended);
        assertEquals(HEADER + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
                + "#EXT-X-MAP:URI=\"video/e1/init.mp4\"\n" + pdt(0) + parts("video", "e1", 0, 4)
                + extinf("video", "e1", 0) + pdt(2) + parts("video", "e1", 1, 4) + extinf("video", "e1", 1)
                + "#EXT-X-RENDITION-REPORT:URI=\"audio.m3u8\",LAST-MSN=1,LAST-PART=3\n", ended);

        f.mediaMillis += 10_000;
        f.start("e2", VIDEO, AUDIO);
        f.segment(4);
        f.part(false);
        assertEquals(HEADER + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
                + "#EXT-X-MAP:URI=\"video/e1/init.mp4\"\n" + pdt(0) + parts("video", "e1", 0, 4)
                + extinf("video", "e1", 0) + pdt(2) + parts("video", "e1", 1, 4) + extinf("video", "e1", 1)
                + "#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"video/e2/init.mp4\"\n" + pdt(14)
                + parts("video", "e2", 2, 4) + extinf("video", "e2", 2) + pdt(16) + parts("video", "e2", 3, 1)
                + "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"video/e2/3.1.m4s\"\n"
                + "#EXT-X-RENDITION-REPORT:URI=\"audio.m3u8\",LAST-MSN=3,LAST-PART=0\n", f.playlist("video"));
        assertEquals(Status.OK, f.object("video/e1/0.m4s").status());
        assertEquals(Status.OK, f.object("video/e2/2.m4s").status());
        assertEquals(Status.NOT_FOUND, f.object("video/e2/0.m4s").status(), "msn 0 is epoch e1's");
    }

    @Test
    void partsAreListedForTheLastThreeTargetDurationsOnly() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segments(5);
        f.part(false);
        String text = f.playlist("video");
        assertEquals(HEADER + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
                + "#EXT-X-MAP:URI=\"video/e1/init.mp4\"\n"
                + pdt(0) + extinf("video", "e1", 0)
                + pdt(2) + extinf("video", "e1", 1)
                + pdt(4) + parts("video", "e1", 2, 4) + extinf("video", "e1", 2)
                + pdt(6) + parts("video", "e1", 3, 4) + extinf("video", "e1", 3)
                + pdt(8) + parts("video", "e1", 4, 4) + extinf("video", "e1", 4)
                + pdt(10) + parts("video", "e1", 5, 1)
                + "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"video/e1/5.1.m4s\"\n"
                + "#EXT-X-RENDITION-REPORT:URI=\"audio.m3u8\",LAST-MSN=5,LAST-PART=0\n", text);
    }

    @Test
    void deltaUpdatesSkipSegmentsBeyondSixTargetDurationsAndRepeatTheMap() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segments(10);
        f.part(false);
        String tail = "#EXT-X-MAP:URI=\"video/e1/init.mp4\"\n"
                + pdt(8) + extinf("video", "e1", 4)
                + pdt(10) + extinf("video", "e1", 5)
                + pdt(12) + extinf("video", "e1", 6)
                + pdt(14) + parts("video", "e1", 7, 4) + extinf("video", "e1", 7)
                + pdt(16) + parts("video", "e1", 8, 4) + extinf("video", "e1", 8)
                + pdt(18) + parts("video", "e1", 9, 4) + extinf("video", "e1", 9)
                + pdt(20) + parts("video", "e1", 10, 1)
                + "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"video/e1/10.1.m4s\"\n"
                + "#EXT-X-RENDITION-REPORT:URI=\"audio.m3u8\",LAST-MSN=10,LAST-PART=0\n";
        assertEquals(HEADER + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
                + "#EXT-X-SKIP:SKIPPED-SEGMENTS=4\n" + tail,
                f.playlist("video", new PlaylistQuery(null, null, SkipMode.YES)));
        assertEquals(HEADER.replace("VERSION:9", "VERSION:10")
                + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
                + "#EXT-X-SKIP:SKIPPED-SEGMENTS=4,RECENTLY-REMOVED-DATERANGES=\"\"\n" + tail,
                f.playlist("video", new PlaylistQuery(null, null, SkipMode.V2)));
        assertFalse(f.playlist("video").contains("EXT-X-SKIP"));
    }

    @Test
    void aPlaylistTooShortToSkipIsServedWhole() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segments(3);
        assertEquals(f.playlist("video"), f.playlist("video", new PlaylistQuery(null, null, SkipMode.YES)));
        assertEquals(f.playlist("video"), f.playlist("video", new PlaylistQuery(null, null, SkipMode.V2)));
    }

    @Test
    void targetDurationGrowsWithALongSegmentAndNeverShrinks() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segment(5); // 2.5 s
        assertEquals(true, f.playlist("video").contains("#EXT-X-TARGETDURATION:3\n"));
        assertEquals(true, f.playlist("video").contains("#EXTINF:2.50000,\n"));
        f.segments(12); // the long segment leaves the window
        String text = f.playlist("video");
        assertEquals(true, text.contains("#EXT-X-TARGETDURATION:3\n"), text);
        assertEquals(true, text.contains("CAN-SKIP-UNTIL=18.000"), text);
    }

    @Test
    void durationsAreWrittenAsFormatWouldWriteThemWithoutItsCost() {
        for (int timescale : new int[] {90_000, 48_000, 44_100, 1_000}) {
            for (long ticks = 0; ticks < 3_000_000; ticks += 997) {
                boolean tie = (ticks * 200_000) % (2L * timescale) == timescale;
                if (!tie) {
                    assertEquals(String.format(java.util.Locale.ROOT, "%.5f", (double) ticks / timescale),
                            MediaPlaylistWriter.seconds5(ticks, timescale), ticks + "/" + timescale);
                }
            }
        }
        assertEquals("0.00013", MediaPlaylistWriter.seconds5(6, 48_000), "an exact tie rounds half up");
        assertEquals("0.00038", MediaPlaylistWriter.seconds5(18, 48_000));
        assertEquals("123456.00000", MediaPlaylistWriter.seconds5(123_456L * 90_000, 90_000));
        assertEquals("0.500", MediaPlaylistWriter.seconds3(0.5));
        assertEquals("1.500", MediaPlaylistWriter.seconds3(3 * 0.5));
        assertEquals("12.000", MediaPlaylistWriter.seconds3(6 * 2.0));
        assertEquals("0.467", MediaPlaylistWriter.seconds3(0.4666667));
    }
}
