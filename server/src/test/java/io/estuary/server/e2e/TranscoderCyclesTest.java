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
 * 5 % of where it stood after the warm-up cycles). The server runs as its own process, with the malloc settings
 * bin/run gives it: without them glibc keeps freed frame buffers in per-thread arenas and RSS climbs ~30 MB a
 * cycle although nothing leaks. RSS is read after a full GC and a malloc trim ({@link #settledResidentKb}), so
 * memory that is garbage but not yet given back does not count as a leak.
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
                "-Destuary.rtmp.port=" + rtmpPort, "-Destuary.whip.udp-port=0", "-Destuary.transcoder.enabled=true",
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
                long kb = settledResidentKb(server.pid());
                rss.add(kb);
                System.out.println("TRANSCODER_CYCLE " + cycle + " rss_mb=" + kb / 1024);
            }
            // Floors, not single readings: a leak raises every later reading, while what a cycle leaves mapped
            // for a moment (a thread's stack, an arena not yet trimmed) raises one or two. The lowest of the last
            // five against the lowest of the five around the end of the warm-up.
            long base0 = floor(rss, WARM_UP - 3, WARM_UP + 2);
            long end = floor(rss, CYCLES - 5, CYCLES);
            System.out.printf("TRANSCODER_RSS after_warmup_floor_mb=%d end_floor_mb=%d growth=%.1f%%%n",
                    base0 / 1024, end / 1024, (end - base0) * 100.0 / base0);
            assertTrue(end <= base0 * 1.05, "RSS floor grew from " + base0 / 1024 + " MB to " + end / 1024
                    + " MB: " + rss + "; server log " + log);
        } finally {
            Processes.killTree(server, Duration.ofSeconds(5));
        }
    }

    private static long floor(List<Long> readings, int from, int to) {
        return readings.subList(from, to).stream().mapToLong(Long::longValue).min().orElseThrow();
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

    /**
     * RSS once what is garbage has been given back: a full GC frees the ended stream's live window (direct
     * buffers, released by their cleaners only when a GC finds them unreachable, which a quiet 256 MB heap may not
     * do for many cycles), and a malloc trim returns freed native memory that glibc would otherwise keep mapped.
     * What is left is what the process still holds: a leak shows, retention by the allocators does not.
     */
    private static long settledResidentKb(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Thread.sleep(500); // the cleaners run on the reference handler thread, after the GC
        jcmd(pid, "System.trim_native_heap");
        return residentKb(pid);
    }

    private static void jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("jcmd " + command + " failed for process " + pid);
        }
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
