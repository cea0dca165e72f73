package io.estuary.server.e2e;

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
                Playback.Window played = Playback.play(player, "hls.js", PLAY_FOR);
                printLatency(played.reports());
                System.out.println("HLSJS last report " + played.end().raw());
            }
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
