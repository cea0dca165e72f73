package io.estuary.packager.drm.keys;

import io.estuary.media.router.StreamKey;
import io.estuary.packager.drm.DrmSystem;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys from a key server speaking DASH-IF CPIX 2.3, as SPEKE v2 and most multi-DRM vendors do: a CPIX document
 * asking for one key (a fresh key ID) for the stream ({@code contentId = "app/name"}) is POSTed to {@code
 * estuary.drm.cpix.url}; the answer's {@code pskc:PlainValue} is the key, and its DRMSystem elements carry the
 * vendor's {@code pssh} and manifest signalling ({@link ProvidedKey#signalling()}).
 *
 * <p>ClearKey is never asked for: this server is its license server. The exchange runs on the JDK HTTP client and
 * this provider's own small pool (sending, reading and parsing alike), so neither an event loop nor a stream's
 * packaging thread waits. Each stream's key is cached (bounded by {@code cache-size}) so that a republish reuses it
 * and concurrent asks share one request; a failure is not cached, the next publish asks again.
 */
public final class CpixKeyProvider implements KeyProvider {

    private static final Logger LOG = LoggerFactory.getLogger(CpixKeyProvider.class);
    /** CPIX answers are kilobytes; this bounds a broken or hostile server. */
    static final int MAX_ANSWER_BYTES = 1 << 20;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final CpixConfig config;
    private final ExecutorService executor;
    private final HttpClient client;
    private final BoundedMap<StreamKey, CompletableFuture<ProvidedKey>> cache;

    public CpixKeyProvider(CpixConfig config) {
        if (config.url() == null) {
            throw new IllegalArgumentException("estuary.drm.cpix.url is not set");
        }
        this.config = config;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "drm-cpix-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true); // idle between publishes: no threads held
        this.executor = pool;
        this.client = HttpClient.newBuilder().executor(executor).connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.cache = new BoundedMap<>(config.cacheSize());
        if ("http".equalsIgnoreCase(config.url().getScheme()) && !isLoopback(config.url().getHost())) {
            LOG.warn("drm: the CPIX key server {} is reached over plain HTTP: content keys cross the network in"
                    + " clear; use https", config.redactedUrl());
        }
    }

    @Override
    public CompletableFuture<ProvidedKey> keyFor(StreamKey stream, DrmPolicy policy) {
        CompletableFuture<ProvidedKey> fresh = new CompletableFuture<>();
        CompletableFuture<ProvidedKey> known = cache.putIfAbsent(stream, fresh);
        if (known != null) {
            return known.copy();
        }
        CompletableFuture<ProvidedKey> asked;
        try {
            asked = ask(stream, policy);
        } catch (RuntimeException e) { // a request the HTTP client refuses to build: fail, and leave no stale entry
            asked = CompletableFuture.failedFuture(explain(stream, e));
        }
        asked.whenComplete((key, failure) -> {
            if (failure == null) {
                fresh.complete(key);
            } else {
                cache.remove(stream, fresh);
                fresh.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
        });
        return fresh.copy();
    }

    private CompletableFuture<ProvidedKey> ask(StreamKey stream, DrmPolicy policy) {
        UUID kid = KeyBytes.uuid(KeyBytes.random16());
        List<DrmSystem> systems = policy.systems().stream().filter(s -> s != DrmSystem.CLEARKEY).toList();
        HttpRequest.Builder request = HttpRequest.newBuilder(config.url()).timeout(config.timeout())
                .header("Content-Type", "application/xml")
                .header("X-Speke-Version", "2.0") // SPEKE v2 servers require it; other CPIX servers ignore it
                .POST(HttpRequest.BodyPublishers.ofString(
                        CpixRequestWriter.write(stream.toString(), kid, policy.scheme(), systems),
                        StandardCharsets.UTF_8));
        if (!config.authHeader().isEmpty()) {
            request.header(config.authHeaderName(), config.authHeader());
        }
        AtomicReference<CompletableFuture<HttpResponse<byte[]>>> exchange = new AtomicReference<>();
        // Even starting the exchange may resolve a host name: it happens on the pool, not the caller's thread.
        return CompletableFuture.supplyAsync(() -> {
            exchange.set(client.sendAsync(request.build(), BoundedBody.handler(MAX_ANSWER_BYTES)));
            return exchange.get();
        }, executor).thenCompose(f -> f)
                .thenApplyAsync(response -> answer(response, kid), executor)
                // The request timeout covers the headers only; this one covers a body that trickles, too.
                .orTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((key, failure) -> {
                    if (failure == null) {
                        LOG.info("drm {}: key {} from the CPIX key server {}, signalling for {}", stream,
                                key.key().kidHex(), config.redactedUrl(), key.signalling().keySet());
                        return key;
                    }
                    if (exchange.get() != null) {
                        exchange.get().cancel(true);
                    }
                    KeyProviderException e = explain(stream, failure);
                    LOG.warn("drm: {}", e.getMessage());
                    throw e;
                });
    }

    private ProvidedKey answer(HttpResponse<byte[]> response, UUID kid) {
        if (response.statusCode() != 200) {
            String text = new String(response.body(), StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
            throw new KeyProviderException("answered HTTP " + response.statusCode()
                    + (text.isEmpty() ? "" : ": " + text.substring(0, Math.min(200, text.length()))));
        }
        return CpixResponseParser.parse(response.body(), kid);
    }

    private KeyProviderException explain(StreamKey stream, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String what = cause instanceof TimeoutException || cause instanceof HttpTimeoutException
                ? "no answer within " + config.timeout().toMillis() + "ms"
                : cause instanceof KeyProviderException ? cause.getMessage() : cause.toString();
        return new KeyProviderException("no key for " + stream + " from the CPIX key server "
                + config.redactedUrl() + ": " + what, cause);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }
}
