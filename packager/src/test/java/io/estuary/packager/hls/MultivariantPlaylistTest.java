package io.estuary.packager.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MultivariantPlaylistTest {

    @Test
    void waitsForAPartOfEveryTrackThenMeasuresFromParts() {
        HlsFixture f = new HlsFixture(HlsFixture.config(10, 256L << 20));
        f.partBytes = 1000;
        CompletableFuture<HlsResponse> early = f.stream.multivariantPlaylist();
        f.start("e1", HlsFixture.VIDEO, HlsFixture.AUDIO);
        assertFalse(early.isDone());
        f.part(false); // 1000 bytes in 0.5 s per track: 16 kbit/s each
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:9
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=32000,AVERAGE-BANDWIDTH=32000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=29.970,AUDIO="audio"
                video.m3u8
                """, early.join().bodyText());
        assertEquals(CacheClass.PLAYLIST, early.join().cache());
    }

    @Test
    void peakAndAverageOfCompletedSegments() {
        HlsFixture f = new HlsFixture(HlsFixture.config(10, 256L << 20));
        f.start("e1", HlsFixture.VIDEO_NO_FPS, HlsFixture.AUDIO);
        f.partBytes = 1000;
        f.segment(4); // 4000 bytes / 2 s = 16 kbit/s per track
        f.partBytes = 3000;
        f.segment(4); // 48 kbit/s per track
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:9
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=96000,AVERAGE-BANDWIDTH=64000,CODECS="avc1.42c01e,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30.000,AUDIO="audio"
                video.m3u8
                """, f.stream.multivariantPlaylist().join().bodyText());
    }

    @Test
    void audioOnly() {
        HlsFixture f = new HlsFixture(HlsFixture.config(10, 256L << 20));
        f.start("e1", HlsFixture.AUDIO);
        f.partBytes = 4000;
        f.segment(4);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:9
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-STREAM-INF:BANDWIDTH=64000,AVERAGE-BANDWIDTH=64000,CODECS="mp4a.40.2"
                audio.m3u8
                """, f.stream.multivariantPlaylist().join().bodyText());
    }
}
