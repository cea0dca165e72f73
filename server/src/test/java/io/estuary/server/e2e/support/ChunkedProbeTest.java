package io.estuary.server.e2e.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ChunkedProbe against the JDK's HTTP server (which answers chunked when given length 0 and sends a chunk per
 * flush) and against a raw socket for what that server cannot produce: extensions, trailers, close-delimited
 * bodies, broken framing.
 */
class ChunkedProbeTest {

    static final long GAP_MS = 300;
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/chunked", ex -> {
            ex.getResponseHeaders().set("Content-Type", "video/mp4");
            ex.sendResponseHeaders(200, 0); // 0: chunked
            OutputStream out = ex.getResponseBody();
            ChromiumPlayer.sleep(GAP_MS); // the headers leave before any body byte
            for (int size : new int[] {1000, 2000, 500}) {
                out.write(bytes(size, (byte) size));
                out.flush(); // one chunk per flush
                ChromiumPlayer.sleep(GAP_MS);
            }
            out.close(); // the terminating 0-chunk
        });
        server.createContext("/whole", ex -> {
            byte[] body = bytes(5000, (byte) 7);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void chunkedBodyIsTimedChunkByChunk() {
        ChunkedProbe.Result r = ChunkedProbe.get(URI.create(base + "/chunked?x=1"), Duration.ofSeconds(10));
        System.out.println(r);
        assertEquals(200, r.status());
        assertTrue(r.chunked(), r.toString());
        assertEquals("chunked", r.header("transfer-encoding"));
        assertEquals("video/mp4", r.header("Content-Type"));
        assertEquals(List.of(1000, 2000, 500), r.chunks().stream().map(ChunkedProbe.Chunk::size).toList());
        assertEquals(3500, r.totalBytes());
        byte[] expected = new byte[3500];
        System.arraycopy(bytes(1000, (byte) 1000), 0, expected, 0, 1000);
        System.arraycopy(bytes(2000, (byte) 2000), 0, expected, 1000, 2000);
        System.arraycopy(bytes(500, (byte) 500), 0, expected, 3000, 500);
        assertArrayEquals(expected, r.body());
        // headers, then each chunk about GAP_MS after the previous one, then the 0-chunk GAP_MS after the last
        long gap = Duration.ofMillis(GAP_MS - 100).toNanos();
        assertTrue(r.firstByteNanos() - r.headersNanos() >= gap, r.toString());
        for (int i = 1; i < 3; i++) {
            assertTrue(r.chunks().get(i).firstByteNanos() - r.chunks().get(i - 1).lastByteNanos() >= gap, r.toString());
        }
        assertTrue(r.lastByteNanos() - r.chunks().get(2).lastByteNanos() >= gap, r.toString());
        assertTrue(r.bodySpread().toMillis() >= 3 * (GAP_MS - 100), r.toString());
        assertTrue(r.timeToFirstByte().compareTo(r.timeToHeaders()) > 0, r.toString());
    }

    @Test
    void contentLengthBodyHasNoChunks() {
        ChunkedProbe.Result r = ChunkedProbe.get(URI.create(base + "/whole"), Duration.ofSeconds(10));
        assertEquals(200, r.status());
        assertFalse(r.chunked(), r.toString());
        assertEquals("5000", r.header("Content-Length"));
        assertEquals(List.of(), r.chunks());
        assertEquals(5000, r.totalBytes());
        assertArrayEquals(bytes(5000, (byte) 7), r.body());
        assertTrue(r.firstByteNanos() >= r.headersNanos() && r.lastByteNanos() >= r.firstByteNanos(), r.toString());
    }

    @Test
    void emptyBody() {
        ChunkedProbe.Result r = ChunkedProbe.get(URI.create(base + "/missing"), Duration.ofSeconds(10));
        assertEquals(404, r.status());
        assertEquals(0, r.totalBytes());
        assertEquals(-1, r.firstByteNanos());
        assertEquals(Duration.ZERO, r.bodySpread());
    }

    @Test
    void extensionsTrailersAndInterimResponses() throws Exception {
        ChunkedProbe.Result r = raw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Checksum: 42\r\n\r\n");
        assertEquals(200, r.status());
        assertEquals("OK", r.reason());
        assertEquals(List.of(5, 10), r.chunks().stream().map(ChunkedProbe.Chunk::size).toList());
        assertEquals("hello0123456789", new String(r.body(), StandardCharsets.US_ASCII));
        assertEquals(List.of("42"), r.trailers().get("x-checksum"));
    }

    @Test
    void bodyDelimitedByTheConnectionClosing() throws Exception {
        ChunkedProbe.Result r = raw("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
        assertFalse(r.chunked());
        assertEquals("until the end", new String(r.body(), StandardCharsets.US_ASCII));
    }

    @Test
    void brokenFramingFails() {
        assertThrows(AssertionError.class, () -> raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
        assertThrows(AssertionError.class, () -> raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX"));
        assertThrows(AssertionError.class, () -> raw("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"));
    }

    /** Serves {@code response} verbatim to one connection (after reading the request head), then closes it. */
    private static ChunkedProbe.Result raw(String response) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = listener.accept()) {
                    byte[] head = new byte[4096];
                    int n = 0;
                    while (!new String(head, 0, n, StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                        n += s.getInputStream().read(head, n, head.length - n);
                    }
                    s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                return ChunkedProbe.get(URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/"),
                        Duration.ofSeconds(5));
            } finally {
                served.get();
            }
        }
    }

    private static byte[] bytes(int size, byte value) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, value);
        return b;
    }
}
