package io.estuary.packager.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.packager.dash.DashConfig;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The MPD built from the live window, and segments delivered part by part for DASH players. */
class DashManifestTest {

    static final String ORIGIN = "http://example.test:8080";

    static String mpd(HlsFixture f) {
        CompletableFuture<HlsResponse> r = f.stream.manifest(DashConfig.defaults(), ORIGIN);
        assertTrue(r.isDone(), "the MPD request is still waiting");
        assertEquals(Status.OK, r.join().status(), r.join().message());
        return r.join().bodyText();
    }

    @Test
    void theMpdListsTheWindowAndTheSegmentBeingProduced() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segments(2);
        f.part(false);
        // Two 2 s segments complete; the third is open with one part, listed with the last segment's duration.
        assertEquals("""
                <?xml version="1.0" encoding="UTF-8"?>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" \
                type="dynamic" availabilityStartTime="2023-11-14T22:13:20.000Z" \
                publishTime="2024-01-01T00:00:00.000Z" minimumUpdatePeriod="PT1S" timeShiftBufferDepth="PT6S" \
                suggestedPresentationDelay="PT2S" maxSegmentDuration="PT2S" minBufferTime="PT1S">
                  <ServiceDescription id="0">
                    <Latency referenceId="0" target="2000" min="1000" max="5000"/>
                    <PlaybackRate min="0.92" max="1.08"/>
                  </ServiceDescription>
                  <Period id="pe1" start="PT0S">
                    <AdaptationSet id="0" contentType="video" mimeType="video/mp4" segmentAlignment="true" \
                startWithSAP="1">
                      <ProducerReferenceTime id="0" type="encoder" wallClockTime="2023-11-14T22:13:20.000Z" \
                presentationTime="0">
                        <UTCTiming schemeIdUri="urn:mpeg:dash:utc:http-xsdate:2014" value="http://example.test:8080/time"/>
                      </ProducerReferenceTime>
                      <Representation id="video" codecs="avc1.64001f" bandwidth="160" width="1280" height="720" \
                sar="1:1" frameRate="30000/1001">
                        <SegmentTemplate timescale="90000" presentationTimeOffset="0" startNumber="0" \
                initialization="video/e1/init.mp4" media="video/e1/$Number$.m4s" availabilityTimeOffset="1.5" \
                availabilityTimeComplete="false">
                          <SegmentTimeline>
                            <S t="0" d="180000" r="2"/>
                          </SegmentTimeline>
                        </SegmentTemplate>
                      </Representation>
                    </AdaptationSet>
                    <AdaptationSet id="1" contentType="audio" mimeType="audio/mp4" segmentAlignment="true" \
                startWithSAP="1">
                      <ProducerReferenceTime id="0" type="encoder" wallClockTime="2023-11-14T22:13:20.000Z" \
                presentationTime="0">
                        <UTCTiming schemeIdUri="urn:mpeg:dash:utc:http-xsdate:2014" value="http://example.test:8080/time"/>
                      </ProducerReferenceTime>
                      <Representation id="audio" codecs="mp4a.40.2" bandwidth="160" audioSamplingRate="48000">
                        <AudioChannelConfiguration schemeIdUri="urn:mpeg:mpegB:cicp:ChannelConfiguration" value="2"/>
                        <SegmentTemplate timescale="48000" presentationTimeOffset="0" startNumber="0" \
                initialization="audio/e1/init.mp4" media="audio/e1/$Number$.m4s" availabilityTimeOffset="1.5" \
                availabilityTimeComplete="false">
                          <SegmentTimeline>
                            <S t="0" d="96000" r="2"/>
                          </SegmentTimeline>
                        </SegmentTemplate>
                      </Representation>
                    </AdaptationSet>
                  </Period>
                  <UTCTiming schemeIdUri="urn:mpeg:dash:utc:http-xsdate:2014" value="http://example.test:8080/time"/>
                </MPD>
                """, mpd(f));
    }

    @Test
    void noMpdBeforeEveryTrackHasAPartThenTheRequestIsAnswered() {
        HlsFixture f = new HlsFixture(HlsFixture.config(10, 256L << 20));
        CompletableFuture<HlsResponse> early = f.stream.manifest(DashConfig.defaults(), ORIGIN);
        f.start("e1", HlsFixture.VIDEO, HlsFixture.AUDIO);
        assertFalse(early.isDone());
        f.part(false);
        assertTrue(early.isDone());
        assertEquals("application/dash+xml", early.join().contentType());
        assertEquals(CacheClass.PLAYLIST, early.join().cache());
    }

    @Test
    void theMpdChangesWhenASegmentCompletesNotWithEveryPart() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segments(1);
        f.part(false);
        RenderedText a = f.stream.manifest(DashConfig.defaults(), ORIGIN).join().rendered();
        f.part(false);
        f.part(false);
        assertSame(a, f.stream.manifest(DashConfig.defaults(), ORIGIN).join().rendered(), "same MPD version");
        f.part(true);
        RenderedText b = f.stream.manifest(DashConfig.defaults(), ORIGIN).join().rendered();
        assertNotEquals(a.etag(), b.etag());
        // One text per host the players use: the clock's URL is absolute.
        String other = f.stream.manifest(DashConfig.defaults(), "http://other.test").join().bodyText();
        assertTrue(other.contains("value=\"http://other.test/time\""), other);
    }

    @Test
    void aRepublishIsANewPeriodAfterTheOldOnesMedia() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segments(2);
        f.stream.onSessionEnd();
        f.mediaMillis += 1_000; // the publisher came back after a pause
        f.start("e2", HlsFixture.VIDEO, HlsFixture.AUDIO);
        f.segments(1);
        f.part(false);
        String text = mpd(f);
        assertTrue(text.contains("<Period id=\"pe1\" start=\"PT0S\">"), text);
        assertTrue(text.contains("<Period id=\"pe2\" start=\"PT5S\">"), text);
        // The time-shift buffer spans the pause too: from 0 s to the end of the segment being produced, 9 s.
        assertTrue(text.contains("timeShiftBufferDepth=\"PT9S\""), text);
        // The ended Period lists its two segments only; the new one continues the numbers, with its own epoch.
        assertTrue(text.contains("startNumber=\"0\" initialization=\"video/e1/init.mp4\""), text);
        assertTrue(text.contains("<S t=\"0\" d=\"180000\" r=\"1\"/>"), text);
        assertTrue(text.contains("startNumber=\"2\" initialization=\"video/e2/init.mp4\""), text);
        assertTrue(text.contains("presentationTimeOffset=\"450000\""), text); // 5 s of media time in
        assertTrue(text.contains("<S t=\"450000\" d=\"180000\" r=\"1\"/>"), text);
    }

    @Test
    void aSegmentIsDeliveredPartByPartUntilComplete() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segments(1);
        f.part(false);
        SegmentChunks first = f.stream.segmentChunks("video/e1/1.m4s", 0).join();
        assertFalse(first.refused());
        assertEquals(1, first.chunks().size());
        assertEquals(1, first.nextPart());
        assertFalse(first.complete());
        assertEquals("video/mp4", first.contentType());

        CompletableFuture<SegmentChunks> more = f.stream.segmentChunks("video/e1/1.m4s", 1);
        assertFalse(more.isDone(), "waits for the next part");
        f.part(false);
        assertEquals(1, more.join().chunks().size());
        assertEquals(2, more.join().nextPart());
        f.part(false);
        f.part(true);
        SegmentChunks last = f.stream.segmentChunks("video/e1/1.m4s", 2).join();
        assertEquals(2, last.chunks().size());
        assertTrue(last.complete());
        assertEquals("video-1-3;", new String(bytes(last.chunks().get(1)), StandardCharsets.US_ASCII));
    }

    @Test
    void theNextSegmentWaitsForItsFirstPartAndOneBeyondIsNotYetThere() {
        HlsFixture f = HlsFixture.videoAudio();
        f.segments(1);
        CompletableFuture<SegmentChunks> next = f.stream.segmentChunks("video/e1/1.m4s", 0);
        assertFalse(next.isDone());
        SegmentChunks beyond = f.stream.segmentChunks("video/e1/2.m4s", 0).join();
        assertTrue(beyond.refused());
        assertEquals(CacheClass.NOT_YET, beyond.refusal().cache());
        f.part(false);
        assertEquals(1, next.join().chunks().size());
        // A part beyond the preload hint is not there yet either, for HLS players too.
        assertEquals(CacheClass.NOT_YET, f.object("video/e1/1.2.m4s").cache());
    }

    @Test
    void aSessionEndingCompletesTheSegmentBeingDelivered() {
        HlsFixture f = HlsFixture.videoAudio();
        f.part(false);
        CompletableFuture<SegmentChunks> more = f.stream.segmentChunks("video/e1/0.m4s", 1);
        f.stream.onSessionEnd();
        assertTrue(more.join().complete());
        assertEquals(0, more.join().chunks().size());
    }

    @Test
    void aSegmentGoneFromTheWindowOrOfAnotherEpochIsNotFound() {
        HlsFixture f = new HlsFixture(HlsFixture.config(3, 256L << 20));
        f.start("e1", HlsFixture.VIDEO, HlsFixture.AUDIO);
        f.segments(8);
        SegmentChunks gone = f.stream.segmentChunks("video/e1/0.m4s", 0).join();
        assertEquals(CacheClass.NEGATIVE, gone.refusal().cache());
        assertEquals(Status.NOT_FOUND, f.stream.segmentChunks("video/e9/7.m4s", 0).join().refusal().status());
        assertEquals(Status.NOT_FOUND, f.stream.segmentChunks("video/e1/7.1.m4s", 0).join().refusal().status());
        assertNotNull(f.stream.segmentChunks("video/e1/7.m4s", 0).join().chunks());
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
