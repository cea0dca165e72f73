package io.estuary.packager.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.OpusConfig;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.StreamKey;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.cmaf.Segmenter;
import io.estuary.packager.dash.DashConfig;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A WebRTC-like session (H.264 and Opus in 20 ms packets) through a real segmenter into the playlists: Opus is the
 * audio rendition, "opus" in the HLS CODECS and the DASH @codecs, cut with the video into 2 s segments at 48 kHz.
 */
class OpusPlaylistTest {

    static final TrackInfo OPUS = TrackInfo.audio(2, OpusConfig.of(2, 312, 48_000));

    static HlsStream sixSeconds() {
        PackagerConfig config = HlsFixture.config(10, 256L << 20);
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        HlsStream stream = new HlsStream(new StreamKey("live", "test"), config,
                Clock.fixed(HlsFixture.NOW, ZoneOffset.UTC), nanos::get, HlsStream.DEFAULT_MAX_WAITERS);
        Segmenter segmenter = new Segmenter(config, stream, () -> HlsFixture.BASE_MILLIS);
        segmenter.onTracks(List.of(HlsFixture.VIDEO, OPUS));
        List<MediaFrame> frames = new ArrayList<>();
        for (int i = 0; i < 180; i++) { // 6 s at 30 fps, a keyframe every 2 s
            frames.add(new MediaFrame(1, MediaType.VIDEO, i * 3000L, 0, i % 60 == 0, new byte[1000],
                    HlsFixture.BASE_MILLIS + i * 100L / 3, 0));
        }
        for (int i = 0; i < 300; i++) { // 6 s of 20 ms Opus packets
            frames.add(new MediaFrame(2, MediaType.AUDIO, i * 960L, 0, true, new byte[160],
                    HlsFixture.BASE_MILLIS + i * 20L, 0));
        }
        frames.sort(Comparator.comparingDouble(f -> f.type() == MediaType.VIDEO ? f.dts() / 90.0 : f.dts() / 48.0));
        frames.forEach(segmenter::onFrame);
        segmenter.onEnd();
        return stream;
    }

    @Test
    void hlsListsOpusAsTheAudioRenditionWithItsCodecs() {
        HlsStream stream = sixSeconds();
        String multivariant = stream.multivariantPlaylist().join().bodyText()
                .replaceAll("BANDWIDTH=\\d+", "BANDWIDTH=N");
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:9
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=N,AVERAGE-BANDWIDTH=N,CODECS="avc1.64001f,opus",RESOLUTION=1280x720,FRAME-RATE=29.970,AUDIO="audio"
                video.m3u8
                """, multivariant);
        String audio = stream.mediaPlaylist("audio", PlaylistQuery.NONE).join().bodyText();
        assertEquals(List.of("#EXTINF:2.00000,", "#EXTINF:2.00000,", "#EXTINF:2.00000,"),
                audio.lines().filter(l -> l.startsWith("#EXTINF")).toList(), "100 packets per segment, with the video");
        assertTrue(audio.contains("#EXT-X-MAP:URI=\"audio/"), audio);
    }

    @Test
    void dashListsOpusAt48kHz() {
        String mpd = sixSeconds().manifest(DashConfig.defaults(), "http://example.test").join().bodyText();
        String audio = mpd.substring(mpd.indexOf("<AdaptationSet id=\"1\""));
        assertTrue(audio.contains("contentType=\"audio\" mimeType=\"audio/mp4\""), audio);
        assertTrue(audio.matches("(?s).*<Representation id=\"audio\" codecs=\"opus\" bandwidth=\"\\d+\" "
                + "audioSamplingRate=\"48000\">.*"), audio);
        assertTrue(audio.contains("<SegmentTemplate timescale=\"48000\""), audio);
        assertTrue(audio.contains("<S t=\"0\" d=\"96000\" r=\"2\"/>"), "three 2 s segments: " + audio);
    }
}
