package io.estuary.server.e2e.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The origin a test page is served from: a JDK HTTP server on 127.0.0.1 and a port of its own, so that the page's
 * requests to the server under test are cross-origin (CORS is part of every browser test). It serves fixed files
 * and takes the reports the page POSTs back.
 */
final class TestOrigin implements AutoCloseable {
    private final HttpServer server;

    TestOrigin(String threadName) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/favicon.ico", ex -> respond(ex, 204, "text/plain", new byte[0]));
    }

    /** Serves {@code body} at {@code path} (contexts match by prefix, the longest first). */
    TestOrigin serve(String path, String type, byte[] body) {
        server.createContext(path, ex -> respond(ex, 200, type, body));
        return this;
    }

    /** Hands each request body POSTed to {@code path} to {@code sink} and answers 204. */
    TestOrigin receive(String path, Consumer<byte[]> sink) {
        server.createContext(path, ex -> {
            sink.accept(ex.getRequestBody().readAllBytes());
            respond(ex, 204, "text/plain", new byte[0]);
        });
        return this;
    }

    TestOrigin start() {
        server.start();
        return this;
    }

    /** {@code http://127.0.0.1:PORT} */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A test resource's bytes, failing clearly when it is missing. */
    static byte[] resource(String name) {
        try (InputStream in = TestOrigin.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }
}
