package io.estuary.packager.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class BlockingReloadTest {

    static PlaylistQuery q(long msn, Long part) {
        return new PlaylistQuery(msn, part, SkipMode.NONE);
    }

    @Test
    void aFuturePartCompletesWhenThePartArrivesAndNotBefore() {
        HlsFixture f = HlsFixture.videoAudio();
        f.part(false);
        CompletableFuture<HlsResponse> next = f.stream.mediaPlaylist("video", q(0, 2L));
        assertFalse(next.isDone());
        f.part(false); // 0.1
        assertFalse(next.isDone());
        f.part(false); // 0.2
        assertTrue(next.isDone());
        HlsResponse r = next.join();
        assertEquals(Status.OK, r.status());
        assertEquals(CacheClass.BLOCKING_PLAYLIST, r.cache());
        assertTrue(r.bodyText().contains("URI=\"video/e1/0.2.m4s\"\n#EXT-X-PRELOAD-HINT"), r.bodyText());
        assertEquals(0, f.stream.waiterCount());
        // _HLS_skip alone names no MSN: it is the current playlist (delta-encoded) and changes with every part
        HlsResponse skipOnly = f.stream.mediaPlaylist("video", new PlaylistQuery(null, null, SkipMode.YES)).join();
        assertEquals(CacheClass.PLAYLIST, skipOnly.cache());
    }

    @Test
    void withoutAPartTheWholeSegmentMustBeComplete() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segment(4);
        CompletableFuture<HlsResponse> seg1 = f.stream.mediaPlaylist("video", q(1, null));
        f.part(false);
        f.part(false);
        f.part(false);
        assertFalse(seg1.isDone(), "segment 1 has parts but is not complete");
        f.part(true);
        assertTrue(seg1.join().bodyText().contains("video/e1/1.m4s\n"));
    }

    @Test
    void aListedSegmentOrPartAnswersAtOnce() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segment(4);
        f.part(false);
        assertEquals(f.playlist("video"), f.playlist("video", q(0, null)));
        assertEquals(f.playlist("video"), f.playlist("video", q(1, 0L)));
    }

    @Test
    void aPartBeyondTheLastPartOfASegmentWaitsForTheNextSegment() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segment(4);
        CompletableFuture<HlsResponse> beyond = f.stream.mediaPlaylist("video", q(0, 4L));
        assertFalse(beyond.isDone(), "segment 0 has parts 0..3: part 4 stands for part 0 of segment 1");
        f.part(false);
        assertTrue(beyond.join().bodyText().contains("video/e1/1.0.m4s"));
    }

    @Test
    void moreThanTwoSegmentsAheadIsABadRequestAtOnce() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segment(4); // last complete: 0
        f.part(false);
        HlsResponse r = f.stream.mediaPlaylist("video", q(3, null)).join();
        assertEquals(Status.BAD_REQUEST, r.status());
        assertTrue(r.message().contains("_HLS_msn=3"), r.message());
        assertFalse(f.stream.mediaPlaylist("video", q(2, null)).isDone(), "two ahead may wait");
    }

    @Test
    void partsBeyondTheAdvancePartLimitAreABadRequest() {
        HlsFixture f = HlsFixture.videoAudio();
        f.part(false); // last part 0.0; limit 3 / 0.5 s = 6 parts
        assertFalse(f.stream.mediaPlaylist("video", q(0, 6L)).isDone());
        assertEquals(Status.BAD_REQUEST, f.stream.mediaPlaylist("video", q(0, 7L)).join().status());
        // next segment: parts 0.1..0.3 then 1.0..1.3 => 1.2 is 6 ahead, 1.3 is 7
        assertFalse(f.stream.mediaPlaylist("video", q(1, 2L)).isDone());
        assertEquals(Status.BAD_REQUEST, f.stream.mediaPlaylist("video", q(1, 3L)).join().status());
    }

    @Test
    void aPlainRequestWaitsForTheFirstPartAndUnknownTracksAreNotFound() {
        HlsFixture f = new HlsFixture(HlsFixture.config(10, 256L << 20));
        assertEquals(Status.NOT_FOUND, f.stream.mediaPlaylist("video", PlaylistQuery.NONE).join().status());
        f.start("e1", HlsFixture.VIDEO);
        CompletableFuture<HlsResponse> first = f.stream.mediaPlaylist("video", PlaylistQuery.NONE);
        assertFalse(first.isDone());
        f.part(false);
        assertEquals(CacheClass.PLAYLIST, first.join().cache());
        assertEquals(Status.NOT_FOUND, f.stream.mediaPlaylist("720p", PlaylistQuery.NONE).join().status());
    }

    @Test
    void theHintedPartWaitsOtherMissingObjectsAreNotFound() {
        HlsFixture f = HlsFixture.videoAudio();
        f.part(false);
        CompletableFuture<HlsResponse> hinted = f.stream.mediaObject("video/e1/0.1.m4s");
        assertFalse(hinted.isDone());
        assertEquals(Status.NOT_FOUND, f.object("video/e1/0.2.m4s").status());
        assertEquals(Status.NOT_FOUND, f.object("video/e1/0.m4s").status());
        f.part(false);
        HlsResponse r = hinted.join();
        assertEquals(Status.OK, r.status());
        assertEquals(CacheClass.IMMUTABLE, r.cache());
        assertEquals(HlsResponse.VIDEO_MP4, r.contentType());
        assertEquals("video-0-1;", r.bodyText());
    }

    @Test
    void theHintedPartIsNotFoundWhenTheSessionEnds() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segment(4);
        CompletableFuture<HlsResponse> hinted = f.stream.mediaObject("audio/e1/1.0.m4s");
        assertFalse(hinted.isDone());
        f.stream.onSessionEnd();
        assertEquals(Status.NOT_FOUND, hinted.join().status());
    }

    @Test
    void waitersAreBoundedTimedOutOnesLeaveAndCancelFailsTheRest() {
        HlsFixture f = new HlsFixture(HlsFixture.config(10, 256L << 20), 2);
        f.start("e1", HlsFixture.VIDEO);
        f.part(false);
        CompletableFuture<HlsResponse> a = f.stream.mediaPlaylist("video", q(1, null));
        CompletableFuture<HlsResponse> b = f.stream.mediaPlaylist("video", q(1, null));
        HlsResponse over = f.stream.mediaPlaylist("video", q(1, null)).join();
        assertEquals(Status.BAD_REQUEST, over.status());
        assertTrue(over.message().startsWith(HlsStream.OVERLOADED));
        a.cancel(false); // as orTimeout would
        assertEquals(1, f.stream.waiterCount());
        CompletableFuture<HlsResponse> c = f.stream.mediaPlaylist("video", q(1, null));
        assertFalse(c.isDone());
        f.stream.cancelWaiters();
        assertTrue(b.isCompletedExceptionally() && c.isCompletedExceptionally());
        assertEquals(0, f.stream.waiterCount());
        try {
            b.join();
        } catch (CompletionException | java.util.concurrent.CancellationException expected) {
            return;
        }
        throw new AssertionError("cancelled waiter completed normally");
    }
}
