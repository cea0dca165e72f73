package io.estuary.server.http;

import io.estuary.packager.hls.RenderedText;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The operator side of the HTTP listener, as the router sees it: metrics, the JSON API and the console's files.
 * Implementations may take their time (a scrape walks every stream): the router calls {@link #scrape} and
 * {@link #api} off the event loop.
 */
public interface AdminRoutes {

    /**
     * A static file of the web console, rendered once: its validator and gzip encoding are shared by every
     * request.
     */
    record Asset(RenderedText body, String contentType, String cacheControl) {
        /** The file's bytes (a copy). */
        public byte[] bytes() {
            java.nio.ByteBuffer b = body.bytes().duplicate();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }
    }

    /** An API request, free of Netty types so the API can be tested on its own. */
    record ApiRequest(String method, String path, String authorization, InetSocketAddress remote, String host) {
    }

    record ApiResponse(int status, byte[] json, String wwwAuthenticate) {
        public ApiResponse(int status, byte[] json) {
            this(status, json, null);
        }
    }

    /** The Prometheus text exposition of every metric. */
    byte[] scrape();

    String scrapeContentType();

    ApiResponse api(ApiRequest request);

    Optional<Asset> consoleAsset(String path);
}
