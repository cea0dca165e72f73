package io.estuary.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.hls.RenderedText;
import io.estuary.protocols.whip.WhipConfig;
import io.estuary.protocols.whip.WhipService;
import io.estuary.server.auth.BearerAuth;
import io.estuary.server.drm.ClearKeyLicenses;
import io.estuary.server.streams.StreamPackagers;
import io.estuary.server.streams.StreamsConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routing, methods, health and the metrics of each response, through an EmbeddedChannel. */
class HttpRouterTest {
    private final StreamPackagers packagers = new StreamPackagers(PackagerConfig.from(ConfigFactory.load()),
            StreamsConfig.from(ConfigFactory.load()), Clock.systemUTC());
    private final HealthChecks health = new HealthChecks();
    private final List<String> observed = new ArrayList<>();
    private final List<AdminRoutes.ApiRequest> apiRequests = new ArrayList<>();
    private String notReady;
    private String scrapeBody = "# metrics\n";
    private WhipService whip;
    private String contentType;
    private String requestBody;

    private final AdminRoutes admin = new AdminRoutes() {
        @Override
        public byte[] scrape() {
            return scrapeBody.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String scrapeContentType() {
            return "text/plain; version=0.0.4; charset=utf-8";
        }

        @Override
        public ApiResponse api(ApiRequest request) {
            apiRequests.add(request);
            return request.authorization() == null
                    ? new ApiResponse(401, "{\"error\":\"token\"}".getBytes(StandardCharsets.UTF_8), "Bearer")
                    : new ApiResponse(200, "{}".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Optional<Asset> consoleAsset(String path) {
            return path.equals("/") ? Optional.of(new Asset(new RenderedText("<html>".getBytes(StandardCharsets.UTF_8)),
                    "text/html; charset=utf-8", "no-cache")) : Optional.empty();
        }
    };

    private final HttpObserver observer = new HttpObserver() {
        @Override
        public void responded(Route route, int status, long bytes, long nanos) {
            observed.add(route.label() + " " + status + " " + bytes);
        }
    };

    @AfterEach
    void close() {
        packagers.close();
        if (whip != null) {
            whip.close();
        }
    }

    private FullHttpResponse exchange(HttpMethod method, String uri, String authorization) {
        return exchange(method, uri, authorization, null);
    }

    private FullHttpResponse exchange(HttpMethod method, String uri, String authorization, String acceptEncoding) {
        health.add("test", () -> notReady);
        HttpRouter router = new HttpRouter(packagers, HttpConfig.from(ConfigFactory.load()),
                io.estuary.packager.dash.DashConfig.defaults(), observer, health, admin, Runnable::run,
                new ClearKeyLicenses(new BearerAuth("t", "the license token", "k"), kid -> Optional.empty()),
                whip, Runnable::run);
        EmbeddedChannel channel = new EmbeddedChannel(router);
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        request.headers().set(HttpHeaderNames.HOST, "example.com:8080");
        if (authorization != null) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        if (acceptEncoding != null) {
            request.headers().set(HttpHeaderNames.ACCEPT_ENCODING, acceptEncoding);
        }
        if (contentType != null) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            request.content().writeBytes(requestBody.getBytes(StandardCharsets.UTF_8));
        }
        channel.writeInbound(request);
        channel.runPendingTasks();
        FullHttpResponse response = channel.readOutbound();
        channel.finishAndReleaseAll();
        return response;
    }

    private static String body(FullHttpResponse r) {
        try {
            return r.content().toString(StandardCharsets.UTF_8);
        } finally {
            r.release();
        }
    }

    @Test
    void healthAnswersWhileReadinessFollowsItsChecks() {
        FullHttpResponse ok = exchange(HttpMethod.GET, "/healthz", null);
        assertEquals(200, ok.status().code());
        assertEquals("no-store", ok.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertEquals("ok\n", body(ok));
        assertEquals("ready\n", body(exchange(HttpMethod.GET, "/readyz", null)));
        notReady = "listeners are not bound";
        FullHttpResponse no = exchange(HttpMethod.GET, "/readyz", null);
        assertEquals(503, no.status().code());
        assertEquals("not ready: test: listeners are not bound\n", body(no));
        assertEquals(200, exchange(HttpMethod.GET, "/healthz", null).status().code(), "alive though not ready");
        assertEquals(List.of("health 200 3", "health 200 6", "health 503 41", "health 200 3"), observed);
    }

    @Test
    void whipPathsAnswerTheirMethodsAndRefuseBadOffers() throws Exception {
        assertEquals(404, exchange(HttpMethod.POST, "/live/cam/whip", null).status().code(), "WHIP disabled");
        whip = new WhipService(WhipConfig.from(ConfigFactory.parseMap(java.util.Map.of("estuary.whip.udp-port", 0,
                "estuary.whip.host-addresses", List.of("127.0.0.1")))), new io.estuary.media.router.StreamRegistry(),
                new io.estuary.protocols.auth.StreamKeyAuthorizer(java.util.Map.of()));
        FullHttpResponse get = exchange(HttpMethod.GET, "/live/cam/whip", null);
        assertEquals(405, get.status().code());
        assertEquals("POST, OPTIONS", get.headers().get(HttpHeaderNames.ALLOW));
        FullHttpResponse session = exchange(HttpMethod.GET, "/live/cam/whip/" + "0".repeat(32), null);
        assertEquals("PATCH, DELETE, OPTIONS", session.headers().get(HttpHeaderNames.ALLOW));
        assertEquals(404, exchange(HttpMethod.DELETE, "/live/cam/whip/" + "0".repeat(32), null).status().code());
        FullHttpResponse preflight = exchange(HttpMethod.OPTIONS, "/live/cam/whip", null);
        assertTrue(preflight.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS).contains("PATCH"));
        assertTrue(preflight.headers().get(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS).contains("Location"));
        contentType = "application/sdp";
        requestBody = "v=0\r\nm=video\r\n";
        FullHttpResponse bad = exchange(HttpMethod.POST, "/live/cam/whip", null);
        assertEquals(400, bad.status().code());
        assertTrue(body(bad).contains("m-line"), "the reason names what is wrong");
        assertTrue(observed.stream().allMatch(o -> o.startsWith("whip ")), observed.toString());
    }

    @Test
    void metricsAndTheConsoleAreServedAndCountedUnderTheirRoutes() {
        FullHttpResponse metrics = exchange(HttpMethod.GET, "/metrics", null);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("# metrics\n", body(metrics));
        assertEquals("<html>", body(exchange(HttpMethod.GET, "/", null)));
        assertEquals(404, exchange(HttpMethod.GET, "/console/missing.js", null).status().code());
        assertEquals(404, exchange(HttpMethod.GET, "/nothing", null).status().code());
        assertEquals(404, exchange(HttpMethod.GET, "/live/absent/index.m3u8", null).status().code());
        assertEquals(404, exchange(HttpMethod.GET, "/studio/absent/video.m3u8", null).status().code());
        assertEquals(List.of("metrics 200 10", "console 200 6", "console 404 31", "other 404 20",
                "playlist 404 31", "playlist 404 33"), observed, "any app's playback paths are playback");
    }

    @Test
    void aScrapeIsGzippedWhenAskedFor() throws Exception {
        scrapeBody = "# HELP estuary_streams_live Streams being published now\n".repeat(100);
        FullHttpResponse zipped = exchange(HttpMethod.GET, "/metrics", null, "gzip");
        assertEquals("gzip", zipped.headers().get(HttpHeaderNames.CONTENT_ENCODING));
        byte[] compressed = new byte[zipped.content().readableBytes()];
        zipped.content().readBytes(compressed);
        zipped.release();
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(compressed))) {
            assertEquals(scrapeBody, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertTrue(compressed.length < scrapeBody.length() / 10, "compressed: " + compressed.length);
    }

    @Test
    void theApiGetsTheCredentialsAndItsChallengeGoesBack() {
        FullHttpResponse denied = exchange(HttpMethod.GET, "/api/v1/streams", null);
        assertEquals(401, denied.status().code());
        assertEquals("Bearer", denied.headers().get(HttpHeaderNames.WWW_AUTHENTICATE));
        assertEquals("application/json", denied.headers().get(HttpHeaderNames.CONTENT_TYPE));
        denied.release();
        assertEquals(200, exchange(HttpMethod.DELETE, "/api/v1/streams/live/x", "Bearer t").status().code());
        AdminRoutes.ApiRequest last = apiRequests.get(apiRequests.size() - 1);
        assertEquals("DELETE", last.method());
        assertEquals("/api/v1/streams/live/x", last.path());
        assertEquals("Bearer t", last.authorization());
        assertEquals("example.com:8080", last.host());
    }

    @Test
    void methodsOutsideEachRoutesSetAre405() {
        assertEquals(405, exchange(HttpMethod.DELETE, "/live/x/index.m3u8", null).status().code());
        assertEquals(405, exchange(HttpMethod.POST, "/api/v1/streams", null).status().code());
        assertEquals(405, exchange(HttpMethod.PUT, "/metrics", null).status().code());
        FullHttpResponse preflight = exchange(HttpMethod.OPTIONS, "/api/v1/streams", null);
        assertEquals(204, preflight.status().code());
        assertTrue(preflight.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS).contains("Authorization"));
        assertTrue(apiRequests.isEmpty());
    }

    @Test
    void blockingPlaylistRequestsAreTheirOwnRoute() {
        LivePath live = LivePath.parse("/live/x/video.m3u8");
        assertEquals(Route.BLOCKING_PLAYLIST, LivePlayback.route(live, "_HLS_msn=3&_HLS_part=1"));
        assertEquals(Route.PLAYLIST, LivePlayback.route(live, ""));
        assertEquals(Route.MEDIA, LivePlayback.route(LivePath.parse("/live/x/video/e1/3.m4s"), ""));
    }
}
