package io.estuary.server.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.estuary.server.e2e.support.Processes;
import io.estuary.server.http.AdminRoutes;
import io.estuary.server.e2e.support.WebDriverSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The console page's own behaviour in headless Chromium, against a scripted API (a JDK HTTP server serving the real
 * console files): streams come and go without disturbing the other players, the token prompt, the loopback notice.
 * Each test gets its own origin, hence its own sessionStorage. Playback itself is ConsoleTest's job.
 */
@Tag("e2e")
class ConsolePageTest {

    private static WebDriverSession browser;

    private final ConsoleAssets assets = ConsoleAssets.load();
    private final Set<String> authorizations = ConcurrentHashMap.newKeySet();
    private volatile List<String> keys = List.of();
    /** More fields for a stream's JSON, by key (a field given here replaces the usual one). */
    private volatile Map<String, String> extras = Map.of();
    private volatile String token;
    private volatile boolean forbidden;
    private HttpServer api;

    @BeforeAll
    static void openBrowser() {
        browser = WebDriverSession.open(Processes.targetDir("e2e-logs").resolve("chromedriver-console-page.log"));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void startApi() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        api.createContext("/", this::answer);
        api.start();
    }

    @AfterEach
    void stopApi() {
        api.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            authorizations.add(authorization);
        }
        if (path.startsWith("/api/") && forbidden) {
            send(ex, 403, "application/json", "{\"error\": \"loopback clients only\"}");
        } else if (path.startsWith("/api/") && token != null && !("Bearer " + token).equals(authorization)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            send(ex, 401, "application/json", "{\"error\": \"token required\"}");
        } else if (path.equals("/api/v1/server")) {
            send(ex, 200, "application/json", "{\"name\": \"estuary\", \"version\": \"9.9.9-test\", \"uptimeSeconds\": 75,"
                    + " \"listeners\": {\"rtmp\": {\"address\": \"0.0.0.0:1935\"}}, \"streams\": " + keys.size() + "}");
        } else if (path.equals("/api/v1/streams")) {
            send(ex, 200, "application/json", "{\"streams\": ["
                    + keys.stream().map(k -> stream(k, extras.getOrDefault(k, "")))
                            .collect(Collectors.joining(",")) + "]}");
        } else {
            Optional<AdminRoutes.Asset> asset = assets.find(path);
            if (asset.isPresent()) {
                send(ex, 200, asset.get().contentType(), asset.get().bytes());
            } else {
                send(ex, 404, "text/plain", "not found");
            }
        }
    }

    /**
     * A stream as the contract describes it; its playback URL leads nowhere (players retry quietly). The
     * {@code extra} fields go last: JSON.parse keeps the last of duplicate names, so a publisher there replaces.
     */
    private static String stream(String key, String extra) {
        return ("{\"key\": \"KEY\", \"publisher\": {\"protocol\": \"rtmp\", \"address\": \"127.0.0.1:50312\"},"
                + " \"uptimeSeconds\": 12.3, \"bitrateBps\": 2628000, \"viewers\": 3, \"droppedFrames\": 0,"
                + " \"latency\": {\"partP50Ms\": 467.0, \"partP99Ms\": 496.0}, \"tracks\": ["
                + "{\"type\": \"video\", \"codec\": \"avc1.64001f\", \"codecName\": \"h264\", \"width\": 1280,"
                + " \"height\": 720, \"frameRate\": 30.0}, {\"type\": \"audio\", \"codec\": \"mp4a.40.2\","
                + " \"codecName\": \"aac\", \"sampleRate\": 48000, \"channels\": 2}],"
                + " \"playback\": {\"hls\": \"http://127.0.0.1:9/KEY/index.m3u8\"},"
                + " \"publish\": {\"rtmp\": \"rtmp://127.0.0.1:1935/KEY\"}" + (extra.isEmpty() ? "" : ", " + extra)
                + "}").replace("KEY", key);
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private void openConsole() {
        browser.navigate("http://127.0.0.1:" + api.getAddress().getPort() + "/");
    }

    private static String js(String script, Object... args) {
        return browser.execute(script, args).asText();
    }

    private static void awaitListed(String expected) {
        await("the console lists " + expected).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> js("return estuaryConsole.streams().join(',')"), expected::equals);
    }

    private static String field(String key, String field) {
        return js("return document.querySelector('[data-key=\"' + arguments[0] + '\"] [data-field=' + arguments[1]"
                + " + ']').textContent", key, field);
    }

    @Test
    void streamsComeAndGoWithoutRecreatingTheOtherPlayers() {
        keys = List.of("live/b");
        openConsole();
        awaitListed("live/b");
        assertEquals("2628 kbit/s", field("live/b", "bitrate"));
        assertEquals("3", field("live/b", "viewers"));
        assertEquals("467 ms", field("live/b", "partLatency"));
        assertEquals("h264 · 1280×720 · 30 fps", field("live/b", "video"));
        assertTrue(js("return document.getElementById('server-info').textContent").contains("9.9.9-test"));
        // Marks live/b's <video>: if its card were rebuilt, the mark would be gone.
        browser.execute("document.querySelector('[data-key=\"live/b\"] video').dataset.mark = 'kept'");

        keys = List.of("live/a", "live/b", "live/c");
        awaitListed("live/a,live/b,live/c");
        assertEquals("kept", js("return document.querySelector('[data-key=\"live/b\"] video').dataset.mark"));

        keys = List.of("live/b");
        awaitListed("live/b");
        assertEquals("kept", js("return document.querySelector('[data-key=\"live/b\"] video').dataset.mark"));
        assertEquals("null", js("return String(estuaryConsole.player('live/a'))"));

        keys = List.of();
        awaitListed("");
        assertEquals("false", js("return String(document.getElementById('empty').hidden)"));
    }

    @Test
    void showsTheLadderItsHealthAndAWhipPublishersConnection() {
        keys = List.of("live/abr", "live/plain", "live/whip");
        String transcoder = "\"transcoder\": {\"speed\": 2.34, \"lagMs\": 12.5, \"sheddingLevel\": SHED,"
                + " \"sourceFramesSkipped\": 0, \"renditions\": ["
                + "{\"name\": \"source\", \"passthrough\": true, \"width\": 1280, \"height\": 720,"
                + " \"framesPerSecond\": 30.0, \"frames\": 900, \"droppedFrames\": 0, \"workSeconds\": 0.0},"
                + "{\"name\": \"360p\", \"passthrough\": false, \"width\": 640, \"height\": 360,"
                + " \"bitrateBps\": 800000, \"framesPerSecond\": 29.6, \"frames\": 890, \"droppedFrames\": 10,"
                + " \"workSeconds\": 3.1}]}";
        extras = Map.of("live/abr", transcoder.replace("SHED", "0"),
                "live/whip", "\"publisher\": {\"protocol\": \"whip\", \"address\": \"127.0.0.1:50313\","
                        + " \"webrtc\": {\"session\": \"ab\", \"iceRemote\": \"127.0.0.1:50313\","
                        + " \"srtpProfile\": \"AEAD_AES_128_GCM\", \"dtlsRole\": \"server\", \"iceMillis\": 63,"
                        + " \"dtlsMillis\": 110, \"rtpPackets\": 12345, \"packetsLost\": 2,"
                        + " \"packetsRecovered\": 40, \"nackedPackets\": 44, \"keyframeRequests\": 5}}");
        openConsole();
        awaitListed("live/abr,live/plain,live/whip");

        assertEquals("source (as published) · 360p 30 fps — speed 2.3×", field("live/abr", "renditions"));
        assertEquals("false", rowHidden("live/abr", "renditions"));
        assertEquals("true", rowHidden("live/abr", "webrtc"));
        assertEquals("true", rowHidden("live/plain", "renditions"));
        assertEquals("true", rowHidden("live/plain", "webrtc"));
        assertEquals("ICE 63 ms · DTLS 110 ms (server) · 12345 packets · 2 lost · 40 recovered · 5 keyframe requests",
                field("live/whip", "webrtc"));
        assertEquals("false", rowHidden("live/whip", "webrtc"));
        assertEquals("WHIP from 127.0.0.1:50313", field("live/whip", "publisher"));

        extras = Map.of("live/abr", transcoder.replace("SHED", "2"));
        await("shedding shown").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> field("live/abr", "renditions"),
                        "source (as published) · 360p 30 fps — speed 2.3×, shedding load (level 2)"::equals);
        extras = Map.of("live/abr", transcoder.replace("SHED", "2").replace("2.34", "0.0"));
        await("no speed before the first window").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200)).until(() -> field("live/abr", "renditions"),
                        "source (as published) · 360p 30 fps — speed measuring, shedding load (level 2)"::equals);
        assertEquals("true", js("return String(document.querySelector('[data-key=\"live/abr\"]"
                + " [data-field=renditions]').classList.contains('shedding'))"));
        assertEquals("true", rowHidden("live/whip", "webrtc")); // the publisher is plain RTMP again
    }

    private static String rowHidden(String key, String field) {
        return js("return String(document.querySelector('[data-key=\"' + arguments[0] + '\"] [data-field='"
                + " + arguments[1] + ']').parentElement.hidden)", key, field);
    }

    @Test
    void asksForTheTokenKeepsItForTheTabAndSendsItAsBearer() {
        token = "s3cret";
        keys = List.of("live/a");
        openConsole();
        await("the token prompt").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> js("return String(!document.getElementById('auth').hidden)"), "true"::equals);

        browser.execute("document.getElementById('token').value = arguments[0];"
                + " document.getElementById('auth').requestSubmit()", "s3cret");
        awaitListed("live/a");
        assertTrue(authorizations.contains("Bearer s3cret"), authorizations.toString());
        assertEquals("s3cret", js("return sessionStorage.getItem('estuary.api.token')"));
        assertEquals("true", js("return String(document.getElementById('auth').hidden)"));

        token = "rotated"; // the stored token stops working: forget it and ask again
        await("the prompt again").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> js("return String(!document.getElementById('auth').hidden)"), "true"::equals);
        assertTrue(js("return document.getElementById('notice').textContent").contains("refused"));
        assertEquals("null", js("return String(sessionStorage.getItem('estuary.api.token'))"));
    }

    @Test
    void explainsTheLoopbackRuleWhenForbidden() {
        forbidden = true;
        openConsole();
        await("the loopback notice").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> js("return document.getElementById('notice').textContent"),
                        text -> text.contains("loopback") && text.contains("estuary.api.token"));
    }
}
