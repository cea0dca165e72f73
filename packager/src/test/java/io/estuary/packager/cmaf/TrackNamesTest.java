package io.estuary.packager.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.frame.OpusConfig;
import io.estuary.media.frame.TrackInfo;
import io.estuary.packager.PackagerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which tracks are packaged, under which names. */
class TrackNamesTest {

    static final TrackInfo VIDEO = CmafInitWriterTest.videoTrack();
    static final TrackInfo AUDIO = CmafInitWriterTest.audioTrack();
    static final TrackInfo OPUS = TrackInfo.audio(7, OpusConfig.of(2, 312, 48_000));

    static List<String> names(TrackInfo... tracks) {
        return TrackNames.assign(List.of(tracks)).stream().map(TrackNames.Named::name).toList();
    }

    @Test
    void anIngestsUnlabelledTracksKeepTheirNames() {
        assertEquals(List.of("video", "audio"), names(VIDEO, AUDIO));
        assertEquals(List.of("video", "audio"), names(AUDIO, VIDEO), "videos first, whatever the order");
        assertEquals(List.of("audio"), names(AUDIO));
    }

    @Test
    void labelsNameTracksAndTheOrderOfVideosIsKept() {
        assertEquals(List.of("source", "720p", "480p", "audio"), names(VIDEO.withLabel("source"),
                VIDEO.withTrackId(2).withLabel("720p"), AUDIO.withTrackId(6), VIDEO.withTrackId(3).withLabel("480p")));
        assertEquals(List.of("source", "aac"), names(VIDEO.withLabel("source"), AUDIO.withLabel("aac")));
    }

    @Test
    void anUnlabelledVideoAfterTheFirstIsNamedByItsTrackId() {
        assertEquals(List.of("video", "video_2", "audio"), names(VIDEO, VIDEO.withTrackId(2), AUDIO.withTrackId(3)));
        assertEquals(List.of("source", "video_2"), names(VIDEO.withLabel("source"), VIDEO.withTrackId(2)));
    }

    @Test
    void duplicateNamesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> names(VIDEO.withLabel("hd"), VIDEO.withTrackId(2).withLabel("hd")));
        assertTrue(e.getMessage().contains("'hd'"), e.getMessage());
        // an unlabelled track's default name counts too
        assertThrows(IllegalArgumentException.class, () -> names(VIDEO, VIDEO.withTrackId(2).withLabel("video")));
        assertThrows(IllegalArgumentException.class, () -> names(VIDEO.withLabel("x"), AUDIO.withLabel("x")));
    }

    @Test
    void opusIsPackagedAndOnlyTheFirstAudioTrackIs() {
        assertEquals(List.of("video", "audio"), names(VIDEO, OPUS));
        assertEquals("opus", TrackNames.assign(List.of(VIDEO, OPUS, AUDIO)).get(1).info().config().codecString(),
                "the first audio track, Opus, is the audio track");
        assertEquals(List.of("video", "audio"), names(VIDEO, AUDIO, AUDIO.withTrackId(9)), "one audio track");
    }

    @Test
    void theSegmenterRefusesDuplicatesAndKeepsWhatItPackages() {
        RecordingListener listener = new RecordingListener();
        Segmenter segmenter = new Segmenter(PackagerConfig.defaults(), listener, () -> 1_700_000_000_000L);
        segmenter.onTracks(List.of(VIDEO, OPUS, AUDIO.withTrackId(9)));
        assertEquals(List.of("video", "audio"), listener.starts.stream().map(s -> s.track().name()).toList());
        assertEquals(OPUS, listener.starts.get(1).track().info());
        segmenter.onFrame(SegmenterTest.video(0, true));
        segmenter.onFrame(new io.estuary.media.frame.MediaFrame(9, io.estuary.media.frame.MediaType.AUDIO, 0, 0,
                true, new byte[3], 0, 0));
        assertEquals(1, segmenter.droppedFrames(), "the second audio track's frame is ignored");
        assertThrows(IllegalArgumentException.class,
                () -> segmenter.onTracks(List.of(VIDEO, VIDEO.withTrackId(2).withLabel("video"))));
        segmenter.onFrame(SegmenterTest.video(1, false));
        segmenter.onEnd();
        assertEquals(2, listener.starts.size(), "the refused list started nothing");
        assertEquals(2, listener.parts("video").stream().mapToInt(CmafPart::sampleCount).sum());
    }
}
