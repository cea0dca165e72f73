package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.e2e.support.ChromiumPlayer;
import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.LlHlsValidator;
import io.estuary.server.e2e.support.MediaPlaylist;
import io.estuary.server.e2e.support.PlayerReport;
import io.estuary.server.e2e.support.Processes;
import io.estuary.server.e2e.support.UrlLedger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Must show 5: stop the publisher and publish again under the same name. The playlists continue with a
 * discontinuity and rising MSNs, no URL is ever served with other bytes, and a playing hls.js keeps playing.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
class RepublishTest {

    @Test
    void republishContinuesThePlaylistAndPlayback() throws Exception {
        try (LiveFixture live = LiveFixture.start("republish", FfmpegPublisher.Profile.BFRAMES)) {
            live.awaitSegments(2, Duration.ofSeconds(20));
            UrlLedger ledger = new UrlLedger();
            LlHlsValidator validator = new LlHlsValidator(live.http(), ledger);
            List<String> violations = new CopyOnWriteArrayList<>();
            AtomicBoolean polling = new AtomicBoolean(true);
            // Fetches both media playlists and every object they list, all run long: the ledger catches any URL
            // served twice with different bytes, the validator's continuity check any MSN going back.
            Thread poller = new Thread(() -> {
                while (polling.get()) {
                    for (String rendition : List.of("video", "audio")) {
                        try {
                            violations.addAll(validator.validate(live.media(rendition)));
                        } catch (AssertionError e) {
                            violations.add(String.valueOf(e.getMessage()));
                        }
                    }
                    sleepQuietly(300);
                }
            }, "republish-poller");
            poller.start();
            try (ChromiumPlayer player = ChromiumPlayer.open(live.multivariant().toString(),
                    Processes.targetDir("e2e-logs").resolve("chromium-republish.log"))) {
                PlayerReport started = player.await(r -> r.fatal() || (r.playing() && r.currentTime() > 2.0),
                        Duration.ofSeconds(30), "playback starting");
                assertFalse(started.fatal(), started.raw());

                long msnBefore = live.playlist("video").lastMsn();
                validator.setPublisherLive(false);
                live.publisher().stop();
                Thread.sleep(2000);
                live.publish();
                long republishedAt = System.nanoTime();

                MediaPlaylist after = awaitDiscontinuity(live, "video", msnBefore, Duration.ofSeconds(25));
                awaitDiscontinuity(live, "audio", -1, Duration.ofSeconds(10));
                validator.setPublisherLive(true);
                double timeAtRepublish = player.reportsSince(republishedAt).isEmpty()
                        ? player.latest().currentTime() : player.reportsSince(republishedAt).get(0).currentTime();
                PlayerReport resumed = player.await(r -> r.fatal()
                                || (r.receivedNanos() > republishedAt && r.currentTime() > timeAtRepublish + 5.0),
                        Duration.ofSeconds(40), "currentTime advancing 5 s past the republish");
                assertFalse(resumed.fatal(), "fatal hls.js error after the republish: " + resumed.raw());
                assertTrue(player.reports().stream().noneMatch(PlayerReport::fatal), "a fatal error was reported");
                System.out.println("REPUBLISH msnBefore=" + msnBefore + " lastMsnAfter=" + after.lastMsn()
                        + " playerTime " + timeAtRepublish + " -> " + resumed.currentTime());
            } finally {
                polling.set(false);
                poller.join(10_000);
            }
            System.out.println("REPUBLISH media objects hashed=" + ledger.size() + " violations=" + violations.size());
            violations.forEach(v -> System.out.println("  VIOLATION " + v));
            assertTrue(ledger.size() > 0);
            assertEquals(List.of(), ledger.violations(), "URLs served with different bytes");
            assertEquals(List.of(), violations);
        }
    }

    /**
     * Waits for a playlist listing an EXT-X-DISCONTINUITY whose segment's MSN is above {@code msnBefore}, with
     * the segment after the discontinuity complete.
     */
    private static MediaPlaylist awaitDiscontinuity(LiveFixture live, String rendition, long msnBefore, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        MediaPlaylist p = null;
        while (System.nanoTime() < deadline) {
            p = live.playlist(rendition);
            for (MediaPlaylist.Segment s : p.segments()) {
                if (s.discontinuity()) {
                    assertTrue(s.msn() > msnBefore, "the segment after the discontinuity has MSN " + s.msn()
                            + ", not above " + msnBefore);
                    return p;
                }
            }
            sleepQuietly(250);
        }
        throw new AssertionError(rendition + ": no EXT-X-DISCONTINUITY within " + timeout + " after the republish; last "
                + (p == null ? "none" : "MSN " + p.lastMsn()));
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
