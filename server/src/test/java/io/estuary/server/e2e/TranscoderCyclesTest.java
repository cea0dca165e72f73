package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.e2e.support.Clips;
import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.Http;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No native leak: 20 publish/stop cycles, each opening a decoder, a scaler and an encoder per rung and the audio
 * transcoder, and freeing them when the publisher goes, leave the server process's resident memory flat (within
 * 10 % of where it stood after five warm-up cycles). The server runs in this JVM, so VmRSS is the server's.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
class TranscoderCyclesTest {

    static final int CYCLES = 20;
    static final int WARM_UP = 5;

    @Test
    void twentyPublishStopCyclesLeaveResidentMemoryFlat() throws Exception {
        Path clip = Clips.camera720p30();
        try (LiveFixture live = LiveFixture.startClip("cycles", clip, Map.of("estuary.transcoder.enabled", true,
                "estuary.packager.idle-timeout", "1s"))) {
            Http http = live.http();
            String metrics = "http://127.0.0.1:" + live.server().httpPort() + "/metrics";
            List<Long> rss = new ArrayList<>();
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                FfmpegPublisher publisher = cycle == 1 ? live.publisher() : live.publish();
                awaitMetric(http, metrics, "estuary_transcoder_frames_total\\{[^}]*rendition=\"240p\"[^}]*\\} ([1-9]\\d+)",
                        Duration.ofSeconds(20), "cycle " + cycle + ": 240p frames");
                publisher.stop();
                awaitMetric(http, metrics, "^estuary_transcoder_sessions (0)(\\.0)?$", Duration.ofSeconds(20),
                        "cycle " + cycle + ": transcoder closed");
                System.gc();
                long kb = residentKb();
                rss.add(kb);
                System.out.println("TRANSCODER_CYCLE " + cycle + " rss_mb=" + kb / 1024);
            }
            long base = rss.get(WARM_UP - 1);
            long end = rss.get(CYCLES - 1);
            long max = rss.subList(WARM_UP - 1, CYCLES).stream().mapToLong(Long::longValue).max().orElseThrow();
            System.out.printf("TRANSCODER_RSS after_warmup_mb=%d end_mb=%d max_mb=%d growth=%.1f%%%n", base / 1024,
                    end / 1024, max / 1024, (end - base) * 100.0 / base);
            assertTrue(end <= base * 1.10, "RSS grew from " + base / 1024 + " MB to " + end / 1024 + " MB: " + rss);
        }
    }

    private static void awaitMetric(Http http, String url, String regex, Duration timeout, String what) {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(http.get(url).text());
            if (m.find()) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError(what + " not seen within " + timeout);
    }

    private static long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
