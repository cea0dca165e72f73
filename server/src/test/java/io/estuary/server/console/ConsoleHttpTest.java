package io.estuary.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.estuary.server.EstuaryServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console through the real HTTP listener: status, types and cache rules, and nothing outside its files. */
class ConsoleHttpTest {

    @Test
    void servesTheConsoleAndNothingElseUnderItsPaths() throws Exception {
        try (EstuaryServer server = EstuaryServer.start(ConfigFactory.parseMap(
                Map.of("estuary.http.port", 0, "estuary.rtmp.port", 0, "estuary.whip.udp-port", 0)).withFallback(ConfigFactory.load()))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + server.httpPort();

            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElseThrow());
            assertEquals("no-cache", page.headers().firstValue("cache-control").orElseThrow());
            assertTrue(page.body().contains("/console/console.js"));

            HttpResponse<byte[]> hls = client.send(HttpRequest.newBuilder(
                    URI.create(base + "/console/vendor/hls.min.js")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, hls.statusCode());
            assertEquals("public, max-age=86400", hls.headers().firstValue("cache-control").orElseThrow());
            assertTrue(hls.body().length > 100_000);

            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(
                    URI.create(base + "/console/nothing.js")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());

            // Raw request lines: an HTTP client would normalize the dots away before sending.
            assertTrue(rawStatusLine(server.httpPort(), "/console/../reference.conf").contains(" 404 "));
            assertTrue(rawStatusLine(server.httpPort(), "/console/%2e%2e/logback.xml").contains(" 404 "));
        }
    }

    private static String rawStatusLine(int port, String target) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return response.substring(0, response.indexOf("\r\n"));
        }
    }
}
