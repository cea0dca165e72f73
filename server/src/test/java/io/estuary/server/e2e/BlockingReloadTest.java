package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.Http;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.MediaPlaylist;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Must show 4: blocking playlist reload. One server and publisher for the class; the delta-update test runs last,
 * when the live window is long enough to skip something.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlockingReloadTest {

    /** Slack over the part target for the server to answer once the part exists (network, scheduling). */
    static final long SLACK_MILLIS = 200;

    static LiveFixture live;

    @BeforeAll
    static void start() {
        live = LiveFixture.start("blocking", FfmpegPublisher.Profile.ZEROLATENCY);
        live.awaitSegments(1, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    /**
     * For five consecutive parts: a blocking request for the hinted part is answered no earlier than the part is
     * listed (the answer contains it), within part target + slack of being sent, and no later than part target +
     * slack after a 20 ms poller first saw the part in a plain playlist.
     */
    @Test
    @Order(1)
    void nextPartRequestAnswersWhenThePartAppears() throws Exception {
        URI video = live.media("video");
        for (int round = 0; round < 5; round++) {
            MediaPlaylist now = live.playlist("video");
            double partTarget = now.partTarget();
            String hint = now.preloadHintUri();
            assertNotNull(hint, "no EXT-X-PRELOAD-HINT");
            long[] next = MediaPlaylist.msnAndPart(hint);
            assertNotNull(next, "hint " + hint + " is not {msn}.{part}.m4s");

            AtomicLong firstSeen = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            Http pollerHttp = new Http();
            CompletableFuture<Void> poller = CompletableFuture.runAsync(() -> {
                while (!stop.get() && firstSeen.get() == 0) {
                    Http.Response r = pollerHttp.get(video);
                    if (r.status() == 200 && MediaPlaylist.parse(r.text()).listsPart(hint)) {
                        firstSeen.set(r.answeredNanos());
                    }
                    sleep(20);
                }
            });
            URI blocking = URI.create(video + "?_HLS_msn=" + next[0] + "&_HLS_part=" + next[1]);
            Http.Response answer = live.http().get(blocking);
            poller.get(10, TimeUnit.SECONDS);
            stop.set(true);

            assertEquals(200, answer.status(), blocking.toString());
            MediaPlaylist answered = MediaPlaylist.parse(answer.text());
            assertTrue(answered.listsPart(hint), "the blocking answer does not contain " + hint + ":\n" + answer.text());
            long budget = (long) (partTarget * 1000) + SLACK_MILLIS;
            long waited = answer.elapsed().toMillis();
            long afterAppearance = (answer.answeredNanos() - firstSeen.get()) / 1_000_000;
            System.out.println(String.format(Locale.ROOT,
                    "BLOCKING part %d.%d answered after %d ms (budget %d ms), %d ms after a poller first saw it",
                    next[0], next[1], waited, budget, afterAppearance));
            assertTrue(waited <= budget, "waited " + waited + " ms for " + hint + ", budget " + budget + " ms");
            assertTrue(afterAppearance <= budget, "answered " + afterAppearance + " ms after the part appeared");
        }
    }

    /** RFC 8216bis 6.2.5.2: _HLS_msn more than two past the last segment gets 400, at once. */
    @Test
    @Order(2)
    void requestThreeSegmentsAheadIsRejected() {
        MediaPlaylist now = live.playlist("video");
        long ahead = now.lastMsn() + 3;
        URI uri = URI.create(live.media("video") + "?_HLS_msn=" + ahead);
        Http.Response r = live.http().get(uri);
        assertEquals(400, r.status(), uri + " answered " + r.status() + " after " + r.elapsed());
        assertTrue(r.elapsed().toMillis() < 2000, "the 400 took " + r.elapsed());
        URI withPart = URI.create(live.media("video") + "?_HLS_msn=" + ahead + "&_HLS_part=0");
        assertEquals(400, live.http().get(withPart).status(), withPart.toString());
    }

    /**
     * _HLS_skip=YES: EXT-X-SKIP replaces exactly the segments it says it skipped. Full and delta playlists are
     * fetched as blocking requests for the same part, so they describe the same moment.
     */
    @Test
    @Order(3)
    void deltaUpdateSkipsExactlyTheSegmentsItReplaces() {
        MediaPlaylist full = awaitSkippableWindow(Duration.ofSeconds(45));
        String lastReason = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            long[] next = MediaPlaylist.msnAndPart(live.playlist("video").preloadHintUri());
            String q = "?_HLS_msn=" + next[0] + "&_HLS_part=" + next[1];
            Http.Response fullResponse = live.http().get(URI.create(live.media("video") + q));
            Http.Response deltaResponse = live.http().get(URI.create(live.media("video") + q + "&_HLS_skip=YES"));
            assertEquals(200, fullResponse.status());
            assertEquals(200, deltaResponse.status());
            full = MediaPlaylist.parse(fullResponse.text());
            MediaPlaylist delta = MediaPlaylist.parse(deltaResponse.text());
            if (full.lastMsn() != delta.lastMsn() || full.lastPart() != delta.lastPart()) {
                lastReason = "the playlist moved between the two requests";
                continue;
            }
            assertNotNull(delta.skippedSegments(), "no EXT-X-SKIP in the delta update:\n" + deltaResponse.text());
            int skipped = delta.skippedSegments();
            assertTrue(skipped > 0, "EXT-X-SKIP:SKIPPED-SEGMENTS=0 with a window of " + full.segments().size());
            assertEquals(full.mediaSequence(), delta.mediaSequence(), "MEDIA-SEQUENCE differs");
            long firstKept = full.mediaSequence() + skipped;
            List<MediaPlaylist.Segment> replaced = full.segments().stream().filter(s -> s.msn() < firstKept).toList();
            assertEquals(skipped, replaced.size(), "SKIPPED-SEGMENTS does not match the full playlist");
            List<String> keptFull = full.segments().stream().filter(s -> s.msn() >= firstKept)
                    .map(s -> s.msn() + " " + s.uri()).toList();
            List<String> keptDelta = delta.segments().stream().map(s -> s.msn() + " " + s.uri()).toList();
            assertEquals(keptFull, keptDelta, "the delta update's segments differ from the full playlist's");
            System.out.println("DELTA skipped=" + skipped + " of " + full.segments().size() + " segments; "
                    + deltaResponse.body().length + " bytes instead of " + fullResponse.body().length);
            return;
        }
        throw new AssertionError("could not get a full and a delta playlist of the same moment: " + lastReason);
    }

    /** Waits until the playlist is longer than CAN-SKIP-UNTIL plus two target durations. */
    private static MediaPlaylist awaitSkippableWindow(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Http.Response last = null;
        while (System.nanoTime() < deadline) {
            last = live.http().get(live.media("video"));
            MediaPlaylist p = MediaPlaylist.parse(last.text());
            String canSkip = MediaPlaylist.attributes(serverControl(last.text())).get("CAN-SKIP-UNTIL");
            assertNotNull(canSkip, "EXT-X-SERVER-CONTROL has no CAN-SKIP-UNTIL:\n" + last.text());
            double window = p.segments().stream().mapToDouble(MediaPlaylist.Segment::duration).sum();
            if (window > Double.parseDouble(canSkip) + 2 * p.targetDuration()) {
                return p;
            }
            sleep(500);
        }
        throw new AssertionError("the live window never grew past CAN-SKIP-UNTIL + 2 target durations within "
                + timeout + ":\n" + (last == null ? "" : last.text()));
    }

    private static String serverControl(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("#EXT-X-SERVER-CONTROL:")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return "";
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
