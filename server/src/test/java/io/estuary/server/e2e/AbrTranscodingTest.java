package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.estuary.server.e2e.support.ChromiumPlayer;
import io.estuary.server.e2e.support.Clips;
import io.estuary.server.e2e.support.FfmpegReader;
import io.estuary.server.e2e.support.Fmp4;
import io.estuary.server.e2e.support.Http;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.MediaPlaylist;
import io.estuary.server.e2e.support.PlayerReport;
import io.estuary.server.e2e.support.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ABR ladder end to end: ffmpeg publishes 1280x720 at 30 fps over RTMP, the server transcodes it into the
 * default ladder (the source passed through, 720p, 480p, 360p, 240p) and packages every rendition. ffprobe reads
 * each rendition's codec, size and bit rate; the segments of one MSN start at the same media time in every
 * rendition; hls.js plays the stream and follows forced level switches.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AbrTranscodingTest {

    /** The default ladder's encoded rungs for a 1280x720 source: name, size, target bit rate. */
    record Rung(String name, int width, int height, int bitrate) {
    }

    static final List<Rung> RUNGS = List.of(new Rung("720p", 1280, 720, 2_800_000),
            new Rung("480p", 854, 480, 1_400_000), new Rung("360p", 640, 360, 800_000),
            new Rung("240p", 426, 240, 400_000));
    static final List<String> VIDEO = List.of("source", "720p", "480p", "360p", "240p");

    private static final ObjectMapper JSON = new ObjectMapper();

    static LiveFixture live;
    static long publishedAtNanos;

    @BeforeAll
    static void publish() {
        Path clip = Clips.camera720p30();
        publishedAtNanos = System.nanoTime();
        live = LiveFixture.startClip("abr", clip, Map.of("estuary.transcoder.enabled", true));
        List<String> all = new ArrayList<>(VIDEO);
        all.add("audio");
        live.awaitSegments(1, Duration.ofSeconds(30), all);
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    @Test
    @Order(1)
    void theMultivariantPlaylistListsEveryRenditionHonestly() {
        String text = live.http().get(live.multivariant()).text();
        List<String> variants = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#EXT-X-STREAM-INF:")) {
                variants.add(line);
            }
        }
        assertEquals(VIDEO.size(), variants.size(), text);
        for (int i = 0; i < variants.size(); i++) {
            Map<String, String> a = MediaPlaylist.attributes(variants.get(i).substring(18));
            for (String key : List.of("BANDWIDTH", "AVERAGE-BANDWIDTH", "RESOLUTION", "FRAME-RATE", "CODECS")) {
                assertTrue(a.containsKey(key), key + " missing: " + variants.get(i));
            }
            assertTrue(a.get("CODECS").matches("\"?avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\"?"), variants.get(i));
            assertEquals(30.0, Double.parseDouble(a.get("FRAME-RATE")), 0.5, variants.get(i));
            if (i > 0) {
                Rung r = RUNGS.get(i - 1);
                assertEquals(r.width() + "x" + r.height(), a.get("RESOLUTION"), variants.get(i));
            }
        }
        MediaPlaylist p240 = live.playlist("240p");
        Set<String> reported = new TreeSet<>();
        p240.renditionReports().forEach(r -> reported.add(r.uri()));
        assertEquals(new TreeSet<>(List.of("source.m3u8", "720p.m3u8", "480p.m3u8", "360p.m3u8", "audio.m3u8")),
                reported, "rendition reports of 240p");
    }

    @Test
    @Order(2)
    void afterTwentySecondsEveryRungHasItsSizeCodecAndBitRate() throws Exception {
        long waitNanos = Duration.ofSeconds(21).toNanos() - (System.nanoTime() - publishedAtNanos);
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000);
        }
        List<String> failures = new ArrayList<>();
        for (Rung r : RUNGS) {
            Path file = download(r.name());
            List<FfmpegReader.ProbedStream> streams = FfmpegReader.probe(file.toString(),
                    Processes.targetDir("e2e-logs").resolve("abr-probe-" + r.name() + ".log"), Duration.ofSeconds(20));
            assertEquals(1, streams.size(), r + ": " + streams);
            assertEquals("h264", streams.get(0).codecName(), r.toString());
            assertEquals(r.width(), streams.get(0).width(), r.toString());
            assertEquals(r.height(), streams.get(0).height(), r.toString());
            double[] measured = probeRate(file);
            double ratio = measured[0] / r.bitrate();
            System.out.printf(Locale.ROOT, "ABR_BITRATE %s target=%d measured=%.0f ratio=%.3f over %.1f s%n", r.name(),
                    r.bitrate(), measured[0], ratio, measured[1]);
            if (Math.abs(ratio - 1) > 0.25) {
                failures.add(r.name() + " measured " + Math.round(measured[0]) + " bit/s for " + r.bitrate());
            }
        }
        assertTrue(failures.isEmpty(), failures.toString());
        String metrics = live.http().get("http://127.0.0.1:" + live.server().httpPort() + "/metrics").text();
        for (String rendition : VIDEO) {
            double fps = series(metrics, "estuary_transcoder_frames_per_second", rendition);
            assertEquals(30, fps, 4, rendition + " frames per second");
        }
        assertEquals(0, series(metrics, "estuary_transcoder_dropped_frames_total", "240p"), "240p dropped");
    }

    /**
     * The API shows the ladder with the same figures, and the speed is the busiest thread's: the 720p rung costs
     * more than 240p (measured 0.31 against 0.16 of a core: 240p encodes a ninth of the pixels but its scaler reads
     * the whole picture), and the speed cannot be more than the content time over 720p's encoding time (the
     * decode's time alone would claim a speed about half as high again).
     */
    @Test
    @Order(3)
    void theApiShowsTheLadderAndASpeedBoundByTheBusiestRung() throws Exception {
        String url = "http://127.0.0.1:" + live.server().httpPort() + "/api/v1/streams/live/abr";
        JsonNode before = JSON.readTree(live.http().get(url).body()).path("transcoder");
        Thread.sleep(6000);
        JsonNode after = JSON.readTree(live.http().get(url).body()).path("transcoder");
        List<String> names = new ArrayList<>();
        after.path("renditions").forEach(r -> names.add(r.path("name").asText()));
        assertEquals(VIDEO, names, after.toString());
        JsonNode source = after.path("renditions").get(0);
        assertTrue(source.path("passthrough").asBoolean(), source.toString());
        assertFalse(source.has("bitrateBps"), source.toString());
        Map<String, Double> coresPerRung = new HashMap<>();
        for (int i = 1; i < VIDEO.size(); i++) {
            JsonNode b = before.path("renditions").get(i);
            JsonNode a = after.path("renditions").get(i);
            Rung rung = RUNGS.get(i - 1);
            assertEquals(rung.width(), a.path("width").asInt(), a.toString());
            assertEquals(rung.bitrate(), a.path("bitrateBps").asInt(), a.toString());
            assertEquals(30, a.path("framesPerSecond").asDouble(), 4, a.toString());
            double frames = a.path("frames").asLong() - b.path("frames").asLong();
            // Work seconds per content second: the share of a core this rung keeps busy.
            coresPerRung.put(rung.name(), (a.path("workSeconds").asDouble() - b.path("workSeconds").asDouble())
                    / (frames / 30.0));
        }
        double speed = after.path("speed").asDouble();
        System.out.printf(Locale.ROOT, "ABR_API speed=%.2f lag_ms=%.1f cores_per_rung=%s%n", speed,
                after.path("lagMs").asDouble(), coresPerRung);
        assertTrue(coresPerRung.get("720p") > 1.3 * coresPerRung.get("240p"), coresPerRung.toString());
        assertTrue(speed > 0 && speed <= 1.3 / coresPerRung.get("720p"),
                "speed " + speed + " above what 720p's encoding allows: " + coresPerRung);
        assertEquals(0, after.path("sheddingLevel").asInt(), after.toString());
        String metrics = live.http().get("http://127.0.0.1:" + live.server().httpPort() + "/metrics").text();
        assertTrue(series(metrics, "estuary_transcoder_encode_seconds_total", "720p") > 0, "720p encode seconds");
    }

    @Test
    @Order(4)
    void theSegmentsOfOneMsnStartAtTheSameMediaTimeInEveryRendition() {
        Map<String, MediaPlaylist> playlists = new HashMap<>();
        for (String v : VIDEO) {
            playlists.put(v, live.playlist(v));
        }
        Set<Long> common = null;
        for (MediaPlaylist p : playlists.values()) {
            Set<Long> msns = new TreeSet<>();
            p.segments().forEach(s -> msns.add(s.msn()));
            if (common == null) {
                common = msns;
            } else {
                common.retainAll(msns);
            }
        }
        assertTrue(common.size() >= 3, "MSNs in every rendition: " + common);
        for (long msn : common) {
            Long first = null;
            StringBuilder seen = new StringBuilder();
            for (String v : VIDEO) {
                MediaPlaylist.Segment s = playlists.get(v).segments().stream().filter(x -> x.msn() == msn)
                        .findFirst().orElseThrow();
                long tfdt = Fmp4.firstTfdt(get(live.base() + s.uri()));
                seen.append(v).append('=').append(tfdt).append(' ');
                first = first == null ? tfdt : first;
                assertEquals(first, tfdt, "MSN " + msn + ": " + seen);
            }
            System.out.println("ABR_TFDT msn=" + msn + " " + seen.toString().trim());
        }
    }

    @Test
    @Order(5)
    void hlsJsPlaysAndFollowsForcedLevelSwitches() {
        try (ChromiumPlayer player = ChromiumPlayer.open(io.estuary.server.e2e.support.Player.HLSJS,
                live.multivariant().toString(), Map.of("switch", "240p@5,720p@13"),
                Processes.targetDir("e2e-logs").resolve("chromium-abr.log"))) {
            Playback.Window played = Playback.play(player, "hls.js ABR", Duration.ofSeconds(22));
            List<PlayerReport> reports = played.reports();
            assertEquals(5, (int) number(played.end().raw(), "levels"), played.end().raw());
            String switched = string(played.end().raw(), "switched");
            assertTrue(switched.matches(".*\\b240p\\b.*\\b720p$"), "LEVEL_SWITCHED " + switched);
            assertTrue(reports.stream().anyMatch(r -> number(r.raw(), "videoHeight") == 240),
                    "never showed the 240p rendition: switched " + switched + "; heights "
                            + reports.stream().map(r -> (int) number(r.raw(), "videoHeight") + "@"
                            + Math.round(r.currentTime())).toList());
            assertEquals(720, (int) number(played.end().raw(), "videoHeight"), played.end().raw());
            assertFalse(reports.stream().anyMatch(PlayerReport::fatal));
            System.out.println("ABR_HLSJS switched=" + switched + " last " + played.end().raw());
        }
    }

    /** The init segment and every listed complete segment but the first, as one fMP4 file. */
    private static Path download(String rendition) {
        MediaPlaylist p = live.playlist(rendition);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] init = get(live.base() + p.firstMapUri());
        out.writeBytes(init);
        List<MediaPlaylist.Segment> segments = p.segments();
        for (MediaPlaylist.Segment s : segments.subList(1, segments.size())) {
            out.writeBytes(get(live.base() + s.uri()));
        }
        Path file = Processes.targetDir("e2e-logs").resolve("abr-" + rendition + ".mp4");
        try {
            Files.write(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** ffprobe's bit rate and duration of a file: the size of its video packets over their duration. */
    private static double[] probeRate(Path file) throws Exception {
        Path log = Processes.targetDir("e2e-logs").resolve("abr-rate-" + file.getFileName() + ".log");
        Process p = new ProcessBuilder("/usr/bin/ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "packet=pts_time,duration_time,size", "-of", "csv=p=0", file.toString())
                .redirectError(log.toFile()).start();
        String csv = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "ffprobe, see " + log);
        long bytes = 0;
        double first = Double.MAX_VALUE;
        double last = 0;
        for (String line : csv.split("\n")) {
            String[] f = line.split(",");
            if (f.length < 3) {
                continue;
            }
            double pts = Double.parseDouble(f[0]);
            double duration = f[1].equals("N/A") ? 1 / 30.0 : Double.parseDouble(f[1]);
            bytes += Long.parseLong(f[2]);
            first = Math.min(first, pts);
            last = Math.max(last, pts + duration);
        }
        double seconds = last - first;
        return new double[] {bytes * 8 / seconds, seconds};
    }

    private static byte[] get(String url) {
        Http.Response r = live.http().get(url);
        assertEquals(200, r.status(), url);
        return r.body();
    }

    private static double series(String scrape, String name, String rendition) {
        Matcher m = Pattern.compile("^" + name + "\\{[^}]*rendition=\"" + rendition + "\"[^}]*\\} (\\S+)$",
                Pattern.MULTILINE).matcher(scrape);
        assertTrue(m.find(), name + " for " + rendition);
        return Double.parseDouble(m.group(1));
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static String string(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }
}
