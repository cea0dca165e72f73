package io.estuary.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.estuary.server.EstuaryServer;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP listener speaks what players, CDNs and replicas use: HTTP/1.1, h2c, and h2 over TLS with ALPN. */
class HttpProtocolsTest {

    private static Config config(Map<String, Object> overrides) {
        return ConfigFactory.parseMap(overrides)
                .withFallback(ConfigFactory.parseMap(Map.of("estuary.http.port", 0, "estuary.rtmp.port", 0,
                        "estuary.whip.udp-port", 0)))
                .withFallback(ConfigFactory.load());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderThoughTheFirstIsAnsweredOffTheEventLoop() throws Exception {
        try (EstuaryServer server = EstuaryServer.start(config(Map.of()));
                java.net.Socket socket = new java.net.Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(10_000);
            // /metrics is answered from the admin thread, /healthz at once: without ordering, ok comes first.
            String requests = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(requests.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answers = new String(socket.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            int metrics = answers.indexOf("# HELP");
            int ok = answers.indexOf("\r\n\r\nok\n");
            int ready = answers.indexOf("\r\n\r\nready\n");
            assertTrue(metrics >= 0 && ok > metrics && ready > ok, "responses out of order: metrics at " + metrics
                    + ", ok at " + ok + ", ready at " + ready);
        }
    }

    @Test
    void http11AndH2cShareOneListener() throws Exception {
        try (EstuaryServer server = EstuaryServer.start(config(Map.of()))) {
            URI health = URI.create("http://127.0.0.1:" + server.httpPort() + "/healthz");
            HttpClient h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r1 = h1.send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r1.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, r1.version());

            // The JDK client upgrades http:// to h2c when asked for HTTP/2.
            HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> r2 = h2c.send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r2.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, r2.version());
            assertEquals("ok\n", r2.body());
            // Later requests on the upgraded connection are plain HTTP/2 streams.
            HttpResponse<String> r3 = h2c.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + "/live/nobody/index.m3u8")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r3.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, r3.version());
            assertEquals("public, max-age=1", r3.headers().firstValue("cache-control").orElseThrow());
            assertEquals("*", r3.headers().firstValue("access-control-allow-origin").orElseThrow());
        }
    }

    @Test
    void unknownStreamsMethodsAndPreflights() throws Exception {
        try (EstuaryServer server = EstuaryServer.start(config(Map.of()))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + server.httpPort();
            HttpResponse<String> unknown = client.send(HttpRequest.newBuilder(URI.create(base
                    + "/live/nobody/video.m3u8")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, unknown.statusCode());
            assertTrue(unknown.body().contains("live/nobody is not live"), unknown.body());

            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/live/x/index.m3u8"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());

            HttpResponse<String> preflight = client.send(HttpRequest.newBuilder(URI.create(base
                    + "/live/x/index.m3u8")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "http://player.example").header("Access-Control-Request-Method", "GET")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, preflight.statusCode());
            assertTrue(preflight.headers().firstValue("access-control-allow-methods").orElseThrow().contains("GET"));
        }
    }

    @Test
    void h2OverTlsIsNegotiatedWithAlpn(@TempDir Path dir) throws Exception {
        File cert = dir.resolve("cert.pem").toFile();
        File key = dir.resolve("key.pem").toFile();
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.getPath(), "-out", cert.getPath())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assumeTrue(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl could not make a cert");
        assertTrue(Files.size(cert.toPath()) > 0);

        try (EstuaryServer server = EstuaryServer.start(config(Map.of(
                "estuary.http.tls.certificate-file", cert.getPath(),
                "estuary.http.tls.private-key-file", key.getPath())))) {
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            HttpClient client = HttpClient.newBuilder().sslContext(trustAll).version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.httpPort() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, r.version());

            HttpClient h1 = HttpClient.newBuilder().sslContext(trustAll).version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r1 = h1.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.httpPort() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r1.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, r1.version());
        }
    }
}
