package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.e2e.support.Clips;
import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.Http;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No native leak: 20 publish/stop cycles, each opening a decoder, a scaler and an encoder per rung and the audio
 * transcoder, and freeing them when the publisher goes, leave the server process's resident memory flat (within
 * 10 % of where it stood after the warm-up cycles). The server runs as its own process, with the malloc settings
 * bin/run gives it: without them glibc keeps freed frame buffers in per-thread arenas and RSS climbs ~30 MB a
 * cycle although nothing leaks.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
class TranscoderCyclesTest {

    /** Cycles before the baseline: the JIT compiles the session's paths and glibc's arenas take their size. */
    static final int WARM_UP = 8;
    static final int CYCLES = WARM_UP + 20;

    @Test
    void twentyPublishStopCyclesLeaveResidentMemoryFlat() throws Exception {
        Path clip = Clips.camera720p30();
        int httpPort = Processes.freePort();
        int rtmpPort = Processes.freePort();
        Path log = Processes.targetDir("e2e-logs").resolve("transcoder-cycles-server.log");
        // Its own JVM with a fixed, pre-touched heap: the heap's pages are resident from the start, so what RSS
        // gains over the cycles is native memory (FFmpeg's), not the Java heap growing into its maximum.
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
                "-Dorg.bytedeco.javacpp.cachedir=" + Processes.targetDir("javacpp-cache"),
                "-Destuary.http.host=127.0.0.1", "-Destuary.http.port=" + httpPort,
                "-Destuary.rtmp.port=" + rtmpPort, "-Destuary.transcoder.enabled=true",
                "-Destuary.packager.idle-timeout=1s",
                "-cp", System.getProperty("java.class.path"), "io.estuary.server.Main");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        // As bin/run sets them: two malloc arenas, and frame-sized buffers always mmapped (so freeing returns them).
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().put("MALLOC_MMAP_THRESHOLD_", "262144");
        Process server = builder.start();
        Http http = new Http();
        String base = "http://127.0.0.1:" + httpPort;
        String rtmp = "rtmp://127.0.0.1:" + rtmpPort + "/live/cycles";
        try {
            awaitReady(http, base + "/readyz", server, log);
            List<Long> rss = new ArrayList<>();
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                Path publishLog = Processes.targetDir("e2e-logs").resolve("transcoder-cycle-" + cycle + ".log");
                try (FfmpegPublisher publisher = FfmpegPublisher.startCopy(rtmp, clip, publishLog)) {
                    awaitMetric(http, base + "/metrics",
                            "estuary_transcoder_frames_total\\{[^}]*rendition=\"240p\"[^}]*\\} ([1-9]\\d+)",
                            Duration.ofSeconds(30), "cycle " + cycle + ": 240p frames");
                }
                awaitMetric(http, base + "/metrics", "^estuary_transcoder_sessions (0)(\\.0)?$",
                        Duration.ofSeconds(20), "cycle " + cycle + ": transcoder closed");
                long kb = residentKb(server.pid());
                rss.add(kb);
                System.out.println("TRANSCODER_CYCLE " + cycle + " rss_mb=" + kb / 1024);
            }
            long base0 = rss.get(WARM_UP - 1);
            long end = rss.get(CYCLES - 1);
            long max = rss.subList(WARM_UP - 1, CYCLES).stream().mapToLong(Long::longValue).max().orElseThrow();
            System.out.printf("TRANSCODER_RSS after_warmup_mb=%d end_mb=%d max_mb=%d growth=%.1f%%%n", base0 / 1024,
                    end / 1024, max / 1024, (end - base0) * 100.0 / base0);
            assertTrue(end <= base0 * 1.10, "RSS grew from " + base0 / 1024 + " MB to " + end / 1024 + " MB: " + rss
                    + "; server log " + log);
        } finally {
            Processes.killTree(server, Duration.ofSeconds(5));
        }
    }

    private static void awaitReady(Http http, String url, Process server, Path log) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("the server exited with " + server.exitValue() + ", see " + log);
            }
            try {
                if (http.get(url).status() == 200) {
                    return;
                }
            } catch (AssertionError notListeningYet) {
                // connection refused while the JVM starts
            }
            sleep(200);
        }
        throw new AssertionError("the server was not ready within 60 s, see " + log);
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

    private static long residentKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no VmRSS for process " + pid);
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
