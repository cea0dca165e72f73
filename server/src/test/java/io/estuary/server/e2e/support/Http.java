package io.estuary.server.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain HTTP/1.1 client for the tests: one GET, the whole body, the time it took. */
public final class Http {

    /** One response, with the wall-clock times it was asked for and answered (System.nanoTime). */
    public record Response(URI uri, int status, HttpHeadersView headers, byte[] body, long sentNanos, long answeredNanos) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public Duration elapsed() {
            return Duration.ofNanos(answeredNanos - sentNanos);
        }
    }

    /** The response headers, case-insensitive. */
    public record HttpHeadersView(java.net.http.HttpHeaders headers) {
        public String first(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    public Http(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public Http() {
        this(Duration.ofSeconds(15));
    }

    public Response get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        long sent = System.nanoTime();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(uri, response.statusCode(), new HttpHeadersView(response.headers()), response.body(),
                    sent, System.nanoTime());
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: GET " + uri, e);
        }
    }

    public Response get(String uri) {
        return get(URI.create(uri));
    }

    /** Any method with a text body (null: none) and headers given as name, value, name, value... */
    public Response send(String method, String uri, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        long sent = System.nanoTime();
        try {
            HttpResponse<byte[]> response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(URI.create(uri), response.statusCode(), new HttpHeadersView(response.headers()),
                    response.body(), sent, System.nanoTime());
        } catch (IOException e) {
            throw new AssertionError(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + method + " " + uri, e);
        }
    }
}
