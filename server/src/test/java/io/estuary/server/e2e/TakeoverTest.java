package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.MediaPlaylist;
import io.estuary.server.e2e.support.Processes;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An encoder that reconnects while its old connection is still open (OBS after a network blip) takes its stream
 * over: the old connection is closed, and the playlists go on from the new session, live (with preload hints),
 * not marked ended by the old session's late end.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
class TakeoverTest {

    @Test
    void aReconnectingPublisherTakesItsStreamOverAndThePlaylistsStayLive() throws Exception {
        try (LiveFixture live = LiveFixture.start("takeover", FfmpegPublisher.Profile.ZEROLATENCY)) {
            live.awaitSegments(1, Duration.ofSeconds(20));
            FfmpegPublisher first = live.publisher();
            long msnBefore = live.playlist("video").lastMsn();
            // Open publishing: the same host may take its stream over (with keys, the same key may).
            try (FfmpegPublisher second = FfmpegPublisher.start(live.rtmpUrl(), FfmpegPublisher.Profile.ZEROLATENCY,
                    Processes.targetDir("e2e-logs").resolve("publish-takeover-second.log"))) {
                Awaitility.await("the first publisher is disconnected").atMost(Duration.ofSeconds(15))
                        .until(() -> !first.isAlive());
                Awaitility.await("a discontinuity to the new session").atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> live.playlist("video").segments().stream()
                                .anyMatch(s -> s.discontinuity() && s.msn() > msnBefore));
                assertTrue(second.isAlive(), "the new publisher stays: " + second.log());
                // Long enough for the old session's end to have been handled, wherever it was queued.
                Thread.sleep(3000);
                for (String rendition : new String[] {"video", "audio"}) {
                    String text = live.http().get(live.media(rendition)).text();
                    assertTrue(text.contains("#EXT-X-PRELOAD-HINT"), rendition + " is still live: " + text);
                }
                MediaPlaylist video = live.playlist("video");
                assertTrue(video.lastMsn() > msnBefore, "MSNs go on rising");
                assertEquals(200, live.http().get(live.multivariant()).status());
            }
        }
    }
}
