package io.estuary.server.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves the browser harness without the server: each page reports, and hls.js, dash.js and Shaka play fMP4 HLS /
 * DASH streams made by ffmpeg and served from a third origin (with CORS), so the whole path page, library, MSE,
 * reports works here.
 */
@Tag("e2e")
class ChromiumPlayerTest {

    @Test
    void pageReportsWithoutAStream() {
        Path log = Processes.targetDir("e2e-logs").resolve("chromium-selftest.log");
        try (ChromiumPlayer player = ChromiumPlayer.open(null, log)) {
            PlayerReport r = player.await(x -> true, Duration.ofSeconds(20), "any report");
            assertFalse(r.fatal(), r.raw());
            assertTrue(r.hlsVersion() != null && r.hlsVersion().startsWith("1."), r.raw());
            assertEquals("hls.js", r.player(), r.raw());
            player.await(x -> player.reports().size() >= 3, Duration.ofSeconds(5), "periodic reports");
        }
    }

    /** Each DASH page loads its library from the test origin and reports, in the shape PlayerReport reads. */
    @ParameterizedTest
    @EnumSource(value = Player.class, names = {"DASHJS", "SHAKA"})
    void dashPagesReportWithoutAStream(Player library) {
        Path log = Processes.targetDir("e2e-logs").resolve("chromium-selftest-" + library.name().toLowerCase() + ".log");
        try (ChromiumPlayer player = ChromiumPlayer.open(library, null, log)) {
            PlayerReport r = player.await(x -> true, Duration.ofSeconds(20), "any report");
            assertFalse(r.fatal(), r.raw());
            assertEquals(library.library(), r.player(), r.raw());
            // Shaka.Player.version reads "v5.2.12", dash.js getVersion() "5.2.1"
            assertTrue(r.version() != null && r.version().matches("v?5\\..*"), "library not loaded: " + r.raw());
            assertEquals(0, r.errorCount(), r.raw());
            assertNull(r.latency(), r.raw());
            assertNull(r.lowLatency(), r.raw());
            player.await(x -> player.reports().size() >= 3, Duration.ofSeconds(5), "periodic reports");
            System.out.println("CHROMIUM_SELFTEST " + library + " " + r.raw());
        }
    }

    @Test
    void hlsJsPlaysAStreamFromAnotherOrigin() throws Exception {
        Path dir = Files.createTempDirectory("estuary-hls-selftest-");
        encode(dir, "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "2", "-hls_playlist_type", "vod",
                dir.resolve("index.m3u8").toString());
        HttpServer media = serve(dir);
        Path log = Processes.targetDir("e2e-logs").resolve("chromium-hls-selftest.log");
        String url = "http://127.0.0.1:" + media.getAddress().getPort() + "/index.m3u8";
        try (ChromiumPlayer player = ChromiumPlayer.open(url, log)) {
            PlayerReport later = awaitPlaying(player);
            List<PlayerReport> all = player.reports();
            System.out.println("CHROMIUM_SELFTEST reports=" + all.size() + " last=" + later.raw());
        } finally {
            media.stop(0);
            ChromiumPlayer.deleteQuietly(dir);
        }
    }

    /**
     * The DASH pages play an on-demand MPD made by ffmpeg, from a third origin: proves the page, the library, MSE
     * and the reports, independently of the server's live MPD.
     */
    @ParameterizedTest
    @EnumSource(value = Player.class, names = {"DASHJS", "SHAKA"})
    void dashPagesPlayAStreamFromAnotherOrigin(Player library) throws Exception {
        Path dir = Files.createTempDirectory("estuary-dash-selftest-");
        encode(dir, "-f", "dash", "-seg_duration", "2", "-use_template", "1", "-use_timeline", "1",
                dir.resolve("manifest.mpd").toString());
        HttpServer media = serve(dir);
        Path log = Processes.targetDir("e2e-logs").resolve("chromium-dash-selftest-" + library.name().toLowerCase() + ".log");
        String url = "http://127.0.0.1:" + media.getAddress().getPort() + "/manifest.mpd";
        try (ChromiumPlayer player = ChromiumPlayer.open(library, url, log)) {
            PlayerReport later = awaitPlaying(player);
            assertTrue(later.fragsBuffered() > 0, later.raw());
            System.out.println("CHROMIUM_SELFTEST " + library + " reports=" + player.reports().size() + " last=" + later.raw());
        } finally {
            media.stop(0);
            ChromiumPlayer.deleteQuietly(dir);
        }
    }

    /** Playback starts without a fatal error and currentTime then advances by 3 s. */
    private static PlayerReport awaitPlaying(ChromiumPlayer player) {
        PlayerReport playing = player.await(r -> r.fatal() || r.currentTime() > 1.0, Duration.ofSeconds(30),
                "playback starting");
        assertFalse(playing.fatal(), playing.raw());
        PlayerReport later = player.await(r -> r.fatal() || r.currentTime() > playing.currentTime() + 3.0,
                Duration.ofSeconds(15), "currentTime advancing by 3 s");
        assertFalse(later.fatal(), later.raw());
        return later;
    }

    /** 20 s of H.264 + AAC test signal, muxed by the given ffmpeg output options into {@code dir}. */
    private static void encode(Path dir, String... output) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "20", "-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac"));
        cmd.addAll(List.of(output));
        Process ffmpeg = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS), "ffmpeg did not finish");
        assertEquals(0, ffmpeg.exitValue(), new String(ffmpeg.getInputStream().readAllBytes()));
    }

    /** Serves {@code dir} with CORS on its own port: the stream's origin, another one than the page's. */
    private static HttpServer serve(Path dir) throws Exception {
        HttpServer media = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        media.createContext("/", ex -> {
            Path file = dir.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(file);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        media.start();
        return media;
    }
}
