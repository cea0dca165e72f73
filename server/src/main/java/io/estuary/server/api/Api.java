package io.estuary.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamRegistry;
import io.estuary.packager.hls.HlsStream;
import io.estuary.protocols.whip.WhipSessionInfo;
import io.estuary.server.auth.BearerAuth;
import io.estuary.server.http.AdminRoutes.ApiRequest;
import io.estuary.server.http.AdminRoutes.ApiResponse;
import io.estuary.server.streams.StreamPackagers;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1}: {@code GET streams}, {@code GET streams/{app}/{name}}, {@code DELETE streams/{app}/{name}}
 * (drops the publisher), {@code GET server}. Every answer is JSON; every error is {@code {"error": "..."}}.
 */
public final class Api {
    private static final Logger log = LoggerFactory.getLogger(Api.class);
    private static final String PREFIX = "/api/v1/";
    /** A Host header goes into the URLs we hand out: only a plain host[:port] is used as it is. */

    private final BearerAuth auth;
    private final StreamRegistry registry;
    private final StreamPackagers packagers;
    private final Supplier<ServerFacts> facts;
    private final Clock clock;
    private final ObjectMapper json;
    private final StreamDetails details;

    public Api(String token, StreamRegistry registry, StreamPackagers packagers, Supplier<ServerFacts> facts,
            Clock clock, ObjectMapper json) {
        this(token, registry, packagers, facts, clock, json, StreamDetails.NONE);
    }

    /** @param details what the WHIP service and the transcoders know of a stream, for its view */
    public Api(String token, StreamRegistry registry, StreamPackagers packagers, Supplier<ServerFacts> facts,
            Clock clock, ObjectMapper json, StreamDetails details) {
        this.details = details;
        this.auth = new BearerAuth(token, "an admin token", "estuary.api.token");
        this.registry = registry;
        this.packagers = packagers;
        this.facts = facts;
        this.clock = clock;
        this.json = json;
    }

    public ApiResponse handle(ApiRequest request) {
        if (facts.get() == null) {
            // The listeners are bound one after the other; what we would report is known once both are.
            return new ApiResponse(503, error("starting: try again in a moment"));
        }
        BearerAuth.Verdict verdict = auth.check(request.authorization(), request.remote());
        if (!verdict.allowed()) {
            log.debug("API request from {} refused: {}", request.remote(), verdict.message());
            return verdict.status() == 401
                    ? new ApiResponse(401, error(verdict.message()), BearerAuth.CHALLENGE)
                    : new ApiResponse(verdict.status(), error(verdict.message()));
        }
        if (!request.path().startsWith(PREFIX)) {
            return notFound("unknown API path " + request.path() + "; the API lives under " + PREFIX);
        }
        List<String> parts = List.of(request.path().substring(PREFIX.length()).split("/", -1));
        boolean get = request.method().equals("GET") || request.method().equals("HEAD");
        boolean delete = request.method().equals("DELETE");
        if (parts.equals(List.of("streams")) && get) {
            return ok(Map.of("streams", registry.streams().stream().sorted(
                    java.util.Comparator.comparing(LiveStream::key)).map(s -> view(s, request)).toList()));
        }
        if (parts.equals(List.of("server")) && get) {
            return ok(server());
        }
        if (parts.size() == 3 && parts.get(0).equals("streams") && (get || delete)) {
            Optional<StreamKey> key = key(parts.get(1), parts.get(2));
            Optional<LiveStream> stream = key.flatMap(registry::get);
            if (stream.isEmpty()) {
                return notFound("stream " + parts.get(1) + "/" + parts.get(2) + " is not live");
            }
            if (get) {
                return ok(view(stream.get(), request));
            }
            log.info("{}: publisher {} dropped through the API by {}", stream.get().key(),
                    stream.get().publisher(), request.remote());
            stream.get().drop("dropped through the API");
            return ok(Map.of("dropped", stream.get().key().toString()));
        }
        boolean known = parts.equals(List.of("streams")) || parts.equals(List.of("server"))
                || (parts.size() == 3 && parts.get(0).equals("streams"));
        if (known) {
            return new ApiResponse(405, error("method " + request.method() + " is not allowed on " + request.path()));
        }
        return notFound("unknown API path " + request.path());
    }

    private static Optional<StreamKey> key(String app, String name) {
        return StreamKey.isValidPart(app) && StreamKey.isValidPart(name)
                ? Optional.of(new StreamKey(app, name)) : Optional.empty();
    }

    private StreamView view(LiveStream stream, ApiRequest request) {
        ServerFacts f = facts.get();
        String host = io.estuary.server.http.HostHeader.isPlain(request.host())
                ? request.host() : f.httpAddress();
        Urls urls = new Urls(f.tls() ? "https" : "http", host, f.rtmpPort());
        HlsStream hls = packagers.hls(stream.key()).orElse(null);
        long now = clock.millis();
        WhipSessionInfo whip = stream.publisher().protocol().equals("whip")
                ? details.whip().apply(stream.key()).orElse(null) : null;
        return StreamView.of(stream, hls, packagers.viewers().viewers(stream.key(), now), urls, now, whip,
                details.transcoder().apply(stream.key()).orElse(null));
    }

    private Map<String, Object> server() {
        ServerFacts f = facts.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", "estuary");
        out.put("version", f.version());
        out.put("startedAt", f.startedAt().toString());
        out.put("uptimeSeconds", Duration.between(f.startedAt(), clock.instant()).toMillis() / 1000.0);
        out.put("listeners", Map.of("http", Map.of("address", f.httpAddress(), "tls", f.tls()),
                "rtmp", Map.of("address", f.rtmpAddress())));
        out.put("streams", registry.streams().size());
        out.put("config", f.config());
        return out;
    }

    private ApiResponse ok(Object body) {
        return new ApiResponse(200, bytes(body));
    }

    private ApiResponse notFound(String message) {
        return new ApiResponse(404, error(message));
    }

    private byte[] error(String message) {
        return bytes(Map.of("error", message));
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write API response", e);
        }
    }
}
