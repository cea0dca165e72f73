package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.Http;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.LlHlsValidator;
import io.estuary.server.e2e.support.MediaPlaylist;
import io.estuary.server.e2e.support.UrlLedger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Must show 3: every playlist fetched during ~10 s of polling (plain and blocking requests, both renditions) is
 * valid LL-HLS by {@link LlHlsValidator}.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
class PlaylistValidationTest {

    static final Duration POLL_FOR = Duration.ofSeconds(10);

    @Test
    void everyPlaylistFetchedIsValid() {
        try (LiveFixture live = LiveFixture.start("validate", FfmpegPublisher.Profile.BFRAMES)) {
            live.awaitSegments(2, Duration.ofSeconds(20));
            UrlLedger ledger = new UrlLedger();
            LlHlsValidator validator = new LlHlsValidator(live.http(), ledger);
            List<String> violations = new ArrayList<>(validator.validateMultivariant(live.multivariant()));
            int checked = 0;
            int blocking = 0;
            long end = System.nanoTime() + POLL_FOR.toNanos();
            while (System.nanoTime() < end) {
                for (String rendition : List.of("video", "audio")) {
                    URI uri = live.media(rendition);
                    Http.Response plain = live.http().get(uri);
                    assertEquals(200, plain.status(), uri.toString());
                    violations.addAll(validator.validateFetched(uri, plain.text()));
                    checked++;
                    String hint = MediaPlaylist.parse(plain.text()).preloadHintUri();
                    long[] next = hint == null ? null : MediaPlaylist.msnAndPart(hint);
                    if (next != null) {
                        URI blockingUri = URI.create(uri + "?_HLS_msn=" + next[0] + "&_HLS_part=" + next[1]);
                        Http.Response r = live.http().get(blockingUri);
                        assertEquals(200, r.status(), blockingUri.toString());
                        violations.addAll(validator.validateFetched(blockingUri, r.text()));
                        checked++;
                        blocking++;
                    }
                }
            }
            System.out.println("LLHLS_VALIDATION playlists=" + checked + " blocking=" + blocking + " media-objects="
                    + ledger.size() + " violations=" + violations.size());
            violations.forEach(v -> System.out.println("  VIOLATION " + v));
            assertTrue(blocking > 0, "no preload hint to block on");
            assertEquals(List.of(), violations);
        }
    }
}
