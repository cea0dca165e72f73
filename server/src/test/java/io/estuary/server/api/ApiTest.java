package io.estuary.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.estuary.media.codec.aac.AudioSpecificConfig;
import io.estuary.media.codec.h264.AvcDecoderConfigurationRecord;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.PublisherInfo;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamRegistry;
import io.estuary.packager.PackagerConfig;
import io.estuary.server.http.AdminRoutes.ApiRequest;
import io.estuary.server.http.AdminRoutes.ApiResponse;
import io.estuary.server.streams.StreamPackagers;
import io.estuary.server.streams.StreamsConfig;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.7", 40000);
    private static final TrackInfo VIDEO = TrackInfo.video(1, AvcConfig.fromAvcC(AvcDecoderConfigurationRecord.build(
            List.of(HexFormat.of().parseHex("6764001facd9405005bb0110000003001000000303c0f1831960")),
            List.of(HexFormat.of().parseHex("68ebe3cb22c0")))));
    private static final TrackInfo AUDIO =
            TrackInfo.audio(2, AacConfig.fromAudioSpecificConfig(AudioSpecificConfig.aacLc(48000, 2)));
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private final StreamRegistry registry = new StreamRegistry(Clock.fixed(NOW.minusSeconds(30), ZoneOffset.UTC));
    private final StreamPackagers packagers = new StreamPackagers(PackagerConfig.from(ConfigFactory.load()),
            StreamsConfig.from(ConfigFactory.load()), Clock.systemUTC());
    private final ServerFacts facts = new ServerFacts("1.2.3", NOW.minusSeconds(60), "0.0.0.0:8080", false,
            "0.0.0.0:1935", 1935, ServerFacts.maskedConfig(ConfigFactory.parseMap(Map.of(
                    "estuary.publish.keys", Map.of("live/demo", "hunter2"), "estuary.api.token", "s3cret",
                    "estuary.http.port", 8080, "estuary.drm.static-keys", Map.of("live/premium", Map.of(
                            "kid", "00000000000000000000000000000001", "key", "0badc0ffee0badc0ffee0badc0ffee00")),
                    "estuary.drm.cpix", Map.of("url", "https://kms.example/tenant-s3cr3tpath/cpix",
                            "auth-header", "Bearer kms-token"))).withFallback(ConfigFactory.load()), JSON));
    private final List<String> disconnects = new ArrayList<>();

    @AfterEach
    void close() {
        packagers.close();
    }

    private Api api(String token) {
        return new Api(token, registry, packagers, () -> facts, Clock.fixed(NOW, ZoneOffset.UTC), JSON);
    }

    private static ApiRequest get(String path, String authorization, InetSocketAddress from) {
        return new ApiRequest("GET", path, authorization, from, "media.example.com:8080");
    }

    private LiveStream publish(String name) throws Exception {
        LiveStream s = registry.publish(new StreamKey("live", name), new PublisherInfo("rtmp", "10.1.2.3", 5555, null),
                disconnects::add);
        s.updateTracks(List.of(VIDEO, AUDIO));
        return s;
    }

    @Test
    void withATokenOnlyItsBearerGetsIn() throws Exception {
        Api api = api("s3cret");
        ApiResponse none = api.handle(get("/api/v1/streams", null, LOOPBACK));
        assertEquals(401, none.status());
        assertEquals("Bearer realm=\"estuary\"", none.wwwAuthenticate());
        assertTrue(JSON.readTree(none.json()).get("error").asText().contains("Bearer"));
        assertEquals(401, api.handle(get("/api/v1/streams", "Bearer s3cre", REMOTE)).status());
        assertEquals(401, api.handle(get("/api/v1/streams", "Basic czNjcmV0", REMOTE)).status());
        assertEquals(200, api.handle(get("/api/v1/streams", "Bearer s3cret", REMOTE)).status());
        assertEquals(200, api.handle(get("/api/v1/streams", "bearer s3cret", REMOTE)).status(),
                "the scheme is case-insensitive (RFC 9110)");
    }

    @Test
    void withoutATokenOnlyLoopbackClientsGetIn() {
        Api api = api("");
        assertEquals(200, api.handle(get("/api/v1/streams", null, LOOPBACK)).status());
        assertEquals(200, api.handle(get("/api/v1/streams", null, new InetSocketAddress("::1", 1))).status());
        ApiResponse remote = api.handle(get("/api/v1/streams", "Bearer anything", REMOTE));
        assertEquals(403, remote.status());
        assertNull(remote.wwwAuthenticate());
    }

    @Test
    void aStreamIsShownWithItsTracksAndUrlsFromTheHostHeader() throws Exception {
        publish("demo");
        JsonNode list = JSON.readTree(api("").handle(get("/api/v1/streams", null, LOOPBACK)).json());
        JsonNode s = list.get("streams").get(0);
        assertEquals("live/demo", s.get("key").asText());
        assertEquals("10.1.2.3:5555", s.at("/publisher/address").asText());
        assertEquals("2026-11-24T09:59:30Z", s.get("startedAt").asText());
        assertEquals(30.0, s.get("uptimeSeconds").asDouble());
        assertEquals("avc1.64001f", s.at("/tracks/0/codec").asText());
        assertEquals(1280, s.at("/tracks/0/width").asInt());
        assertEquals(30.0, s.at("/tracks/0/frameRate").asDouble(), "from the SPS until measured");
        assertFalse(s.get("tracks").get(0).has("sampleRate"), "audio fields are left out of a video track");
        assertEquals(2, s.at("/tracks/1/channels").asInt());
        assertTrue(s.get("bitrateBps").isNull(), "nothing measured yet");
        assertTrue(s.at("/latency/partP50Ms").isNull());
        assertEquals("http://media.example.com:8080/live/demo/index.m3u8", s.at("/playback/hls").asText());
        assertEquals("rtmp://media.example.com:1935/live/demo", s.at("/publish/rtmp").asText());
    }

    @Test
    void aHostHeaderThatIsNotAPlainHostIsNotEchoedIntoUrls() throws Exception {
        publish("demo");
        ApiRequest evil = new ApiRequest("GET", "/api/v1/streams/live/demo", null, LOOPBACK,
                "evil.example/\"><script>");
        JsonNode s = JSON.readTree(api("").handle(evil).json());
        assertEquals("http://0.0.0.0:8080/live/demo/index.m3u8", s.at("/playback/hls").asText());
    }

    @Test
    void deleteDropsThePublisherAndUnknownStreamsAre404() throws Exception {
        publish("demo");
        Api api = api("");
        assertEquals(404, api.handle(get("/api/v1/streams/live/nope", null, LOOPBACK)).status());
        assertEquals(404, api.handle(get("/api/v1/streams/live/..", null, LOOPBACK)).status());
        assertEquals(404, api.handle(get("/api/v1/nothing", null, LOOPBACK)).status());
        ApiResponse dropped = api.handle(new ApiRequest("DELETE", "/api/v1/streams/live/demo", null, LOOPBACK, null));
        assertEquals(200, dropped.status());
        assertEquals(List.of("dropped through the API"), disconnects);
        assertTrue(registry.get(new StreamKey("live", "demo")).isEmpty());
        assertEquals(405, api.handle(new ApiRequest("DELETE", "/api/v1/streams", null, LOOPBACK, null)).status());
    }

    @Test
    void serverInfoShowsTheConfigurationWithSecretsMasked() throws Exception {
        JsonNode info = JSON.readTree(api("").handle(get("/api/v1/server", null, LOOPBACK)).json());
        assertEquals("1.2.3", info.get("version").asText());
        assertEquals(60.0, info.get("uptimeSeconds").asDouble());
        assertEquals("0.0.0.0:1935", info.at("/listeners/rtmp/address").asText());
        assertEquals("******", info.at("/config/publish/keys/live~1demo").asText(), info.toString());
        assertEquals("******", info.at("/config/api/token").asText());
        assertEquals(8080, info.at("/config/http/port").asInt());
        assertFalse(info.toString().contains("hunter2") || info.toString().contains("s3cret"));
        assertEquals("******", info.at("/config/drm/static-keys/live~1premium/key").asText(), info.toString());
        assertEquals("00000000000000000000000000000001", info.at("/config/drm/static-keys/live~1premium/kid").asText());
        for (String secret : new String[] {"0badc0ffee", "kms-token", "s3cr3tpath"}) {
            assertFalse(info.toString().contains(secret), secret + " in " + info);
        }
    }
}
