package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.e2e.support.ChromiumPlayer;
import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.PlayerReport;
import io.estuary.server.e2e.support.Processes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Must show 2: hls.js in low-latency mode, in headless Chromium on another origin, plays 20 s without a fatal error. */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
class HlsJsPlaybackTest {

    static final Duration PLAY_FOR = Duration.ofSeconds(20);

    @Test
    void hlsJsLowLatencyPlaysTwentySeconds() {
        try (LiveFixture live = LiveFixture.start("hlsjs", FfmpegPublisher.Profile.BFRAMES)) {
            live.awaitSegments(1, Duration.ofSeconds(20));
            try (ChromiumPlayer player = ChromiumPlayer.open(live.multivariant().toString(),
                    Processes.targetDir("e2e-logs").resolve("chromium-hlsjs.log"))) {
                PlayerReport started = player.await(r -> r.fatal() || (r.playing() && r.currentTime() > 0.5),
                        Duration.ofSeconds(30), "playback starting");
                assertFalse(started.fatal(), "fatal hls.js error: " + started.raw());
                long from = System.nanoTime();
                PlayerReport end = player.await(r -> r.fatal() || r.receivedNanos() - from >= PLAY_FOR.toNanos(),
                        PLAY_FOR.plusSeconds(10), "20 s of reports");
                List<PlayerReport> window = player.reportsSince(from);
                assertTrue(window.stream().noneMatch(PlayerReport::fatal), "fatal hls.js error: " + end.raw());
                assertAdvancing(window);
                double played = end.currentTime() - started.currentTime();
                assertTrue(played >= PLAY_FOR.toSeconds() - 2.0,
                        "currentTime advanced only " + played + " s in " + PLAY_FOR + "; last " + end.raw());
                printLatency(window);
                System.out.println("HLSJS last report " + end.raw());
            }
        }
    }

    /** currentTime never stands still for more than 2 s (four reports). */
    static void assertAdvancing(List<PlayerReport> reports) {
        for (int i = 4; i < reports.size(); i++) {
            PlayerReport a = reports.get(i - 4);
            PlayerReport b = reports.get(i);
            assertTrue(b.currentTime() > a.currentTime(), "currentTime stalled at " + a.currentTime() + ": " + b.raw());
        }
    }

    static void printLatency(List<PlayerReport> reports) {
        double[] latencies = reports.stream().map(PlayerReport::latency).filter(l -> l != null && l > 0)
                .mapToDouble(Double::doubleValue).sorted().toArray();
        if (latencies.length == 0) {
            System.out.println("HLSJS_LATENCY p50=n/a max=n/a samples=0");
            return;
        }
        System.out.println(String.format(Locale.ROOT, "HLSJS_LATENCY p50=%.3fs max=%.3fs min=%.3fs samples=%d",
                latencies[latencies.length / 2], latencies[latencies.length - 1], latencies[0], latencies.length));
    }
}
