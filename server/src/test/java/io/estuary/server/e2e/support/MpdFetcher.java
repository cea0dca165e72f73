package io.estuary.server.e2e.support;

import io.estuary.server.e2e.support.MpdValidator.Representation;
import io.estuary.server.e2e.support.MpdValidator.Result;
import io.estuary.server.e2e.support.MpdValidator.Segment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The network half of {@link MpdValidator}: the server's clock, and fetching what an MPD announces. */
final class MpdFetcher {

    /**
     * Sent as Origin on every request: the players run on another origin than the stream, so every answer they
     * read (MPD, segments, the time source) needs Access-Control-Allow-Origin.
     */
    static final String ORIGIN = "http://127.0.0.1:9";
    /** ISO BMFF box types a CMAF media segment may start with (styp is optional, prft and emsg may precede moof). */
    static final Set<String> MEDIA_START = Set.of("styp", "moof", "prft", "emsg", "sidx");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private MpdFetcher() {
    }

    static Instant serverTime(HttpClient client, URI timeUrl) {
        HttpResponse<byte[]> r = get(client, timeUrl);
        String body = new String(r.body(), StandardCharsets.UTF_8).trim();
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + timeUrl + " answered " + r.statusCode() + ": " + body);
        }
        try {
            return XsdTypes.dateTime(body);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("GET " + timeUrl + ": " + e.getMessage());
        }
    }

    static List<String> fetchAll(HttpClient client, Result result, int perRepresentation) {
        List<String> problems = new ArrayList<>();
        for (URI timing : result.timingUrls()) {
            HttpResponse<byte[]> r = fetch(client, timing, "UTCTiming", problems);
            if (r != null && r.statusCode() == 200) {
                String body = new String(r.body(), StandardCharsets.UTF_8).trim();
                try {
                    XsdTypes.dateTime(body);
                } catch (IllegalArgumentException e) {
                    problems.add("UTCTiming " + timing + ": " + e.getMessage());
                }
            }
        }
        for (Representation rep : result.representations()) {
            if (rep.initialization() != null) {
                check(client, rep.initialization(), rep.id() + " initialization", Set.of("ftyp"), problems);
            }
            List<Segment> complete = rep.segments().stream().filter(Segment::complete).toList();
            for (Segment s : complete.subList(Math.max(0, complete.size() - perRepresentation), complete.size())) {
                if (s.url() != null) {
                    check(client, s.url(), rep.id() + " segment " + s.number(), MEDIA_START, problems);
                }
            }
        }
        return problems;
    }

    private static void check(HttpClient client, URI uri, String what, Set<String> firstBox, List<String> problems) {
        HttpResponse<byte[]> r = fetch(client, uri, what, problems);
        if (r == null || r.statusCode() != 200) {
            return;
        }
        byte[] body = r.body();
        String box = body.length >= 8 ? new String(body, 4, 4, StandardCharsets.ISO_8859_1) : null;
        if (box == null || !firstBox.contains(box)) {
            problems.add(what + " " + uri + ": " + body.length + " bytes starting with "
                    + (box == null ? "no box" : "box '" + box + "'") + ", expected one of " + firstBox);
        }
    }

    /** GET with an Origin header; a problem (and the response, if any) for non-200 answers and missing CORS. */
    private static HttpResponse<byte[]> fetch(HttpClient client, URI uri, String what, List<String> problems) {
        HttpResponse<byte[]> r;
        try {
            r = get(client, uri);
        } catch (AssertionError e) {
            problems.add(what + " " + uri + ": " + e.getMessage());
            return null;
        }
        if (r.statusCode() != 200) {
            problems.add(what + " " + uri + ": status " + r.statusCode());
            return r;
        }
        String allow = r.headers().firstValue("Access-Control-Allow-Origin").orElse(null);
        if (allow == null || !(allow.equals("*") || allow.equals(ORIGIN))) {
            problems.add(what + " " + uri + ": Access-Control-Allow-Origin is " + allow
                    + " for Origin " + ORIGIN + " (players on another origin cannot read it)");
        }
        return r;
    }

    /** One HTTP/1.1 GET (HttpClient would otherwise try an h2c upgrade on http:// URLs). */
    private static HttpResponse<byte[]> get(HttpClient client, URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).version(HttpClient.Version.HTTP_1_1).timeout(TIMEOUT)
                .header("Origin", ORIGIN).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: GET " + uri, e);
        }
    }
}
