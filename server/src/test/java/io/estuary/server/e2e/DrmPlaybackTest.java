package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.e2e.support.ChromiumPlayer;
import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.Http;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.MediaPlaylist;
import io.estuary.server.e2e.support.MpdValidator;
import io.estuary.server.e2e.support.Player;
import io.estuary.server.e2e.support.PlayerReport;
import io.estuary.server.e2e.support.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Encrypted live streams with real clients: ffmpeg publishes over RTMP to streams configured for DRM with known
 * keys, first {@code cenc} then {@code cbcs}. Shaka Player in headless Chromium plays each one's LL-DASH and LL-HLS
 * with the browser's ClearKey CDM, getting its keys from this server's license endpoint (DASH) and key endpoint
 * (HLS) with the license token; ffmpeg decodes the segments with {@code -decryption_key}, and without the key the
 * same segments do not decode to the same pictures; the license endpoint turns away requests without the token and
 * for unknown key IDs.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrmPlaybackTest {

    static final Duration PLAY_FOR = Duration.ofSeconds(16);
    static final String TOKEN = "e2e-license-token";
    static final String CENC_KID = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    static final String CENC_KEY = "3c1a9e4f0b7d2c6e8a5f1b3d7e9c0a24";
    static final String CBCS_KID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    static final String CBCS_KEY = "9d8c7b6a5f4e3d2c1b0a99887766554f";
    static final String CBCS_IV = "00112233445566778899aabbccddeeff";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LiveFixture live;

    static Map<String, Object> drmConfig() {
        return Map.of(
                "estuary.drm.license.token", TOKEN,
                "estuary.drm.overrides", Map.of(
                        "live/drmcenc", Map.of("enabled", true, "scheme", "cenc", "key-provider", "static",
                                "systems", List.of("clearkey", "widevine", "playready")),
                        "live/drmcbcs", Map.of("enabled", true, "scheme", "cbcs", "key-provider", "static",
                                "systems", List.of("clearkey", "widevine", "playready", "fairplay"))),
                "estuary.drm.static-keys", Map.of(
                        "live/drmcenc", Map.of("kid", CENC_KID, "key", CENC_KEY),
                        "live/drmcbcs", Map.of("kid", CBCS_KID, "key", CBCS_KEY, "iv", CBCS_IV)));
    }

    /** The stream under test: started on first use, replaced when a test needs the other scheme. */
    LiveFixture live(String name) {
        if (live != null && !live.name().equals(name)) {
            live.close();
            live = null;
        }
        if (live == null) {
            live = LiveFixture.start(name, FfmpegPublisher.Profile.BFRAMES, drmConfig());
            live.awaitSegments(3, Duration.ofSeconds(30));
        }
        return live;
    }

    @AfterAll
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    HttpResponse<byte[]> license(LiveFixture f, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.server().httpPort()
                        + "/drm/clearkey/license")).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String b64url(String hex) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(hex));
    }

    @Test
    @Order(1)
    void theLicenseEndpointHandsTheKeyOnlyToTokenHoldersAndOnlyForKnownKeyIds() throws Exception {
        LiveFixture f = live("drmcenc");
        String request = "{\"kids\":[\"" + b64url(CENC_KID) + "\"],\"type\":\"temporary\"}";
        HttpResponse<byte[]> none = license(f, request, null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"estuary\"", none.headers().firstValue("www-authenticate").orElse(null));
        assertEquals(401, license(f, request, "Bearer wrong").statusCode());
        HttpResponse<byte[]> unknown = license(f,
                "{\"kids\":[\"" + b64url("00000000000000000000000000000099") + "\"]}", "Bearer " + TOKEN);
        assertEquals(404, unknown.statusCode());
        // The other stream's key is configured but no stream of that name has been published: not handed out.
        assertEquals(404, license(f, "{\"kids\":[\"" + b64url(CBCS_KID) + "\"]}", "Bearer " + TOKEN).statusCode());
        HttpResponse<byte[]> granted = license(f, request, "Bearer " + TOKEN);
        assertEquals(200, granted.statusCode());
        String body = new String(granted.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("\"kid\":\"" + b64url(CENC_KID) + "\""), body);
        assertTrue(body.contains("\"k\":\"" + b64url(CENC_KEY) + "\""), body);
        assertEquals("no-store", granted.headers().firstValue("cache-control").orElse(null));
    }

    @Test
    @Order(2)
    void playlistsMpdAndInitSegmentsSignalTheKey() {
        LiveFixture f = live("drmcenc");
        String video = f.http().get(f.media("video")).text();
        assertTrue(video.contains("#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI=\"/drm/clearkey/keys/" + CENC_KID + "\""),
                video);
        assertTrue(video.contains("KEYFORMAT=\"urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed\""), video);
        assertTrue(f.http().get(f.multivariant()).text().contains("#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES-CTR"));
        String init = new String(f.http().get(f.media("video").resolve(MediaPlaylist.parse(video).firstMapUri()))
                .body(), StandardCharsets.ISO_8859_1);
        for (String box : List.of("encv", "sinf", "frma", "schm", "cenc", "tenc", "pssh")) {
            assertTrue(init.contains(box), box + " missing from the init segment");
        }
        URI mpd = URI.create(f.base() + "manifest.mpd");
        Http.Response r = f.http().get(mpd);
        assertTrue(r.text().contains("cenc:default_KID=\"a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90\""), r.text());
        Instant now = MpdValidator.serverTime(client, URI.create("http://127.0.0.1:" + f.server().httpPort()
                + "/time"));
        MpdValidator.Result result = MpdValidator.validate(r.text(), mpd, now);
        assertTrue(result.ok(), "MPD problems: " + result.problems());
    }

    @Test
    @Order(3)
    void ffmpegDecodesWithTheKeyAndNotWithoutIt() throws Exception {
        LiveFixture f = live("drmcenc");
        Path dir = Processes.targetDir("e2e-logs").resolve("drm");
        Files.createDirectories(dir);
        for (String track : List.of("video", "audio")) {
            Path file = dir.resolve("cenc-" + track + ".mp4");
            Files.write(file, completeSegments(f, track, 3));
            List<String> withKey = framemd5(file, CENC_KEY, dir.resolve("cenc-" + track + "-key.log"));
            List<String> withoutKey = framemd5(file, null, dir.resolve("cenc-" + track + "-nokey.log"));
            assertTrue(withKey.size() >= (track.equals("video") ? 150 : 250), track + ": " + withKey.size()
                    + " frames decoded with the key");
            long same = withoutKey.stream().filter(withKey::contains).count();
            // Without the key, no frame decodes to what it is (AAC or H.264 may fail outright, or make noise).
            assertEquals(0, same, track + ": " + same + " of " + withKey.size() + " frames decoded without the key");
            System.out.println("DRM_FFMPEG " + track + " " + withKey.size() + " frames decrypted, "
                    + withoutKey.size() + " decoded without the key, none the same");
        }
    }

    /** Init segment plus the last {@code count} complete segments of a track, concatenated (a playable file). */
    static byte[] completeSegments(LiveFixture f, String track, int count) throws IOException {
        MediaPlaylist p = f.playlist(track);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(f.http().get(f.media(track).resolve(p.firstMapUri())).body());
        List<MediaPlaylist.Segment> segments = p.segments().stream().filter(s -> s.uri() != null).toList();
        for (MediaPlaylist.Segment s : segments.subList(Math.max(0, segments.size() - count), segments.size())) {
            Http.Response r = f.http().get(f.media(track).resolve(s.uri()));
            assertEquals(200, r.status());
            out.write(r.body());
        }
        return out.toByteArray();
    }

    /**
     * The MD5 of every decoded frame (ffmpeg's framemd5 muxer), with or without the decryption key. The file goes
     * in through a pipe: ffmpeg 5.1 reading a fragmented file directly reads every fragment first and then applies
     * the last one's encryption info to all samples; through a pipe it reads fragment by fragment, as players do.
     */
    static List<String> framemd5(Path file, String keyHex, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ffmpeg", "-nostdin", "-hide_banner", "-v", "warning"));
        if (keyHex != null) {
            cmd.addAll(List.of("-decryption_key", keyHex));
        }
        cmd.addAll(List.of("-f", "mp4", "-i", "pipe:0", "-f", "framemd5", "-"));
        Process p = new ProcessBuilder(cmd).redirectInput(file.toFile()).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ffmpeg did not finish");
        List<String> md5s = new ArrayList<>();
        for (String line : new String(out, StandardCharsets.US_ASCII).split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String[] cols = line.split(",");
                md5s.add(cols[cols.length - 1].trim());
            }
        }
        if (keyHex != null) {
            assertEquals(0, p.exitValue(), "ffmpeg with the key failed, see " + log);
            String errors = Files.readString(log);
            assertFalse(errors.contains("error") || errors.contains("Invalid"), "ffmpeg with the key: " + errors);
        }
        return md5s;
    }

    @Test
    @Order(4)
    void shakaPlaysTheCencDashStreamWithClearKey() {
        play("drmcenc", "manifest.mpd", "Shaka DASH cenc");
    }

    @Test
    @Order(5)
    void shakaPlaysTheCencHlsStreamWithClearKey() {
        play("drmcenc", "index.m3u8", "Shaka HLS cenc");
    }

    @Test
    @Order(6)
    void shakaPlaysTheCbcsDashStreamWithClearKey() {
        play("drmcbcs", "manifest.mpd", "Shaka DASH cbcs");
    }

    @Test
    @Order(7)
    void shakaPlaysTheCbcsHlsStreamWithClearKey() {
        play("drmcbcs", "index.m3u8", "Shaka HLS cbcs");
    }

    void play(String stream, String manifest, String label) {
        LiveFixture f = live(stream);
        String log = "chromium-" + label.toLowerCase().replace(' ', '-') + ".log";
        try (ChromiumPlayer shaka = ChromiumPlayer.open(Player.SHAKA, f.base() + manifest, Map.of("token", TOKEN),
                Processes.targetDir("e2e-logs").resolve(log))) {
            Playback.Window played = Playback.play(shaka, label, PLAY_FOR);
            PlayerReport end = played.end();
            assertTrue(end.raw().contains("\"keySystem\":\"org.w3.clearkey\""), "not decrypted by ClearKey: "
                    + end.raw());
            System.out.println("DRM_PLAYBACK " + label + ": " + (end.currentTime() - played.started().currentTime())
                    + " s played, keySystem org.w3.clearkey");
        }
    }
}
