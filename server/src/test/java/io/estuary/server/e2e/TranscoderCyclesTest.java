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
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No native leak: 20 publish/stop cycles, each opening a decoder, a scaler and an encoder per rung and the audio
 * transcoder, and freeing them when the publisher goes, leave the server process's resident memory flat (within
 * 10 %, as the ABR issue asks, of where it stood after the warm-up cycles), and the memory the JVM does not account
 * for (FFmpeg's and glibc's: resident memory less what Native Memory Tracking says the JVM committed) grows by less
 * than {@value #MAX_UNTRACKED_GROWTH_MB} MB. The second figure is the sharp one: the JVM's own memory swings by
 * tens of MB between cycles (the JIT compilers' arenas, direct buffers awaiting a GC), FFmpeg's does not, so a
 * leaked encoder shows there plainly.
 *
 * <p>The server runs as its own process, with the malloc settings bin/run gives it: without them glibc keeps freed
 * frame buffers in per-thread arenas and RSS climbs ~30 MB a cycle although nothing leaks. Readings are taken after
 * a full GC and a malloc trim ({@link #settled}), so memory that is garbage but not yet given back does not count.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
class TranscoderCyclesTest {

    /** Cycles before the baseline: the JIT compiles the session's paths and glibc's arenas take their size. */
    static final int WARM_UP = 8;
    static final int CYCLES = WARM_UP + 20;
    /** Measured: 0–3 MB over 45 cycles; one 720p encoder left unclosed per cycle adds 24 MB each. */
    static final int MAX_UNTRACKED_GROWTH_MB = 16;

    /** One reading: resident memory, and what of it the JVM's Native Memory Tracking accounts for. */
    record Reading(long rssKb, long jvmCommittedKb) {
        long untrackedKb() {
            return rssKb - jvmCommittedKb;
        }
    }

    @Test
    void twentyPublishStopCyclesLeaveResidentMemoryFlat() throws Exception {
        Path clip = Clips.camera720p30();
        int httpPort = Processes.freePort();
        int rtmpPort = Processes.freePort();
        Path log = Processes.targetDir("e2e-logs").resolve("transcoder-cycles-server.log");
        // Its own JVM with a fixed, pre-touched heap: the heap's pages are resident from the start, so what RSS
        // gains over the cycles is native memory (FFmpeg's), not the Java heap growing into its maximum.
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-XX:NativeMemoryTracking=summary",
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
            List<Reading> readings = new ArrayList<>();
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                Path publishLog = Processes.targetDir("e2e-logs").resolve("transcoder-cycle-" + cycle + ".log");
                try (FfmpegPublisher publisher = FfmpegPublisher.startCopy(rtmp, clip, publishLog)) {
                    awaitMetric(http, base + "/metrics",
                            "estuary_transcoder_frames_total\\{[^}]*rendition=\"240p\"[^}]*\\} ([1-9]\\d+)",
                            Duration.ofSeconds(30), "cycle " + cycle + ": 240p frames");
                }
                awaitMetric(http, base + "/metrics", "^estuary_transcoder_sessions (0)(\\.0)?$",
                        Duration.ofSeconds(20), "cycle " + cycle + ": transcoder closed");
                Reading r = settled(server.pid());
                readings.add(r);
                System.out.println("TRANSCODER_CYCLE " + cycle + " rss_mb=" + r.rssKb() / 1024 + " jvm_committed_mb="
                        + r.jvmCommittedKb() / 1024 + " untracked_mb=" + r.untrackedKb() / 1024);
            }
            // Floors, not single readings: a leak raises every later reading, while what a cycle leaves mapped
            // for a moment (a compiler arena, a thread's stack, direct buffers) raises one or two. The lowest of
            // the last five against the lowest of the five around the end of the warm-up.
            long rss0 = floor(readings, Reading::rssKb, WARM_UP - 3, WARM_UP + 2);
            long rss1 = floor(readings, Reading::rssKb, CYCLES - 5, CYCLES);
            long untracked0 = floor(readings, Reading::untrackedKb, WARM_UP - 3, WARM_UP + 2);
            long untracked1 = floor(readings, Reading::untrackedKb, CYCLES - 5, CYCLES);
            System.out.printf("TRANSCODER_RSS after_warmup_floor_mb=%d end_floor_mb=%d growth=%.1f%% "
                    + "untracked_floor_mb=%d->%d%n", rss0 / 1024, rss1 / 1024, (rss1 - rss0) * 100.0 / rss0,
                    untracked0 / 1024, untracked1 / 1024);
            assertTrue(rss1 <= rss0 * 1.10, "RSS floor grew from " + rss0 / 1024 + " MB to " + rss1 / 1024
                    + " MB: " + readings + "; server log " + log);
            assertTrue(untracked1 - untracked0 < MAX_UNTRACKED_GROWTH_MB * 1024L, "memory the JVM does not account "
                    + "for grew from " + untracked0 / 1024 + " MB to " + untracked1 / 1024 + " MB: " + readings);
        } finally {
            Processes.killTree(server, Duration.ofSeconds(5));
        }
    }

    private static long floor(List<Reading> readings, ToLongFunction<Reading> field, int from, int to) {
        return readings.subList(from, to).stream().mapToLong(field).min().orElseThrow();
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
     * Memory once what is garbage has been given back: a full GC frees the ended stream's live window (direct
     * buffers, released by their cleaners only when a GC finds them unreachable, which a quiet 256 MB heap may not
     * do for many cycles), and a malloc trim returns freed native memory that glibc would otherwise keep mapped.
     * What is left is what the process still holds: a leak shows, retention by the allocators does not.
     */
    private static Reading settled(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Thread.sleep(500); // the cleaners run on the reference handler thread, after the GC
        jcmd(pid, "System.trim_native_heap");
        long committed = jvmCommittedKb(jcmd(pid, "VM.native_memory", "summary"));
        return new Reading(residentKb(pid), committed);
    }

    /** The "Total: reserved=...KB, committed=...KB" line of an NMT summary. */
    private static long jvmCommittedKb(String summary) {
        Matcher m = Pattern.compile("^Total: reserved=\\d+KB, committed=(\\d+)KB", Pattern.MULTILINE)
                .matcher(summary);
        if (!m.find()) {
            throw new AssertionError("no NMT total in: " + summary);
        }
        return Long.parseLong(m.group(1));
    }

    private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("jcmd " + cmd + " failed for process " + pid + ": " + out);
        }
        return out;
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
