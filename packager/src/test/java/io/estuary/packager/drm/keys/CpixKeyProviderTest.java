package io.estuary.packager.drm.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.estuary.media.router.StreamKey;
import io.estuary.packager.drm.DrmSystem;
import io.estuary.packager.drm.EncryptionScheme;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CPIX client against a real HTTP server on loopback that reads the request and answers as a key server. */
class CpixKeyProviderTest {

    private static final byte[] KEY = HexFormat.of().parseHex("8f2a9c4e1b7d3f6a0c5e9b2d4f8a1c3e");
    private static final byte[] IV = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10");
    private static final StreamKey STREAM = new StreamKey("live", "premium");
    private static final DrmPolicy POLICY = new DrmPolicy(true, EncryptionScheme.CBCS,
            List.of(DrmSystem.CLEARKEY, DrmSystem.WIDEVINE, DrmSystem.PLAYREADY, DrmSystem.FAIRPLAY),
            KeyProviderType.CPIX, Map.of());

    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final CountDownLatch hang = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger evilRequests = new AtomicInteger();
    private final AtomicReference<CpixRequest> lastRequest = new AtomicReference<>();
    /** What the key server answers to a request: status and body. */
    private volatile Function<CpixRequest, Answer> keyServer;
    private HttpServer server;

    record Answer(int status, String body) {
    }

    @BeforeEach
    void startKeyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/cpix", this::answer);
        server.createContext("/evil", exchange -> {
            evilRequests.incrementAndGet();
            respond(exchange, new Answer(200, "PlainValue-from-an-entity"));
        });
        server.start();
    }

    @AfterEach
    void stopKeyServer() {
        hang.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        CpixRequest request = CpixRequest.parse(exchange);
        lastRequest.set(request);
        respond(exchange, keyServer.apply(request));
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private CpixKeyProvider provider(String authHeader, Duration timeout) {
        return new CpixKeyProvider(new CpixConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/cpix"), "Authorization", authHeader, timeout, 100));
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A pssh box (version 0, no key IDs) with the given data. */
    private static byte[] pssh(DrmSystem system, byte[] data) {
        return ByteBuffer.allocate(32 + data.length).putInt(32 + data.length).put("pssh".getBytes(
                StandardCharsets.US_ASCII)).putInt(0).put(KeyBytes.uuidBytes(system.systemId()))
                .putInt(data.length).put(data).array();
    }

    /** A key server's answer with one content key, and the given DRMSystem elements. */
    private static String cpix(Object kid, String keyData, String explicitIv, String drmSystems) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <cpix:CPIX xmlns:cpix="urn:dashif:org:cpix" xmlns:pskc="urn:ietf:params:xml:ns:keyprov:pskc"
                    contentId="live/premium" version="2.3">
                  <cpix:ContentKeyList>
                    <cpix:ContentKey kid="%s" commonEncryptionScheme="cbcs"%s>%s</cpix:ContentKey>
                  </cpix:ContentKeyList>
                  <cpix:DRMSystemList>%s</cpix:DRMSystemList>
                </cpix:CPIX>
                """.formatted(kid, explicitIv == null ? "" : " explicitIV=\"" + explicitIv + "\"", keyData,
                drmSystems);
    }

    private static String plain(byte[] key) {
        return "<cpix:Data><pskc:Secret><pskc:PlainValue>" + b64(key) + "</pskc:PlainValue></pskc:Secret></cpix:Data>";
    }

    private static String widevine(Object kid, byte[] pssh) {
        return "<cpix:DRMSystem kid=\"" + kid + "\" systemId=\"" + DrmSystem.WIDEVINE.systemId() + "\"><cpix:PSSH>"
                + b64(pssh) + "</cpix:PSSH><cpix:ContentProtectionData>"
                + b64("<cenc:pssh>AAAA</cenc:pssh>".getBytes(StandardCharsets.UTF_8))
                + "</cpix:ContentProtectionData></cpix:DRMSystem>";
    }

    private Throwable failure(CompletableFuture<ProvidedKey> key) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> key.get(10, TimeUnit.SECONDS));
        assertInstanceOf(KeyProviderException.class, e.getCause());
        return e.getCause();
    }

    @Test
    void postsACpixRequestAndReturnsTheServersKey() throws Exception {
        byte[] widevinePssh = pssh(DrmSystem.WIDEVINE, "widevine-data".getBytes(StandardCharsets.UTF_8));
        keyServer = r -> new Answer(200, cpix(r.kid(), plain(KEY), b64(IV), widevine(r.kid(), widevinePssh)));

        ProvidedKey provided = provider("Bearer s3cret", Duration.ofSeconds(5)).keyFor(STREAM, POLICY)
                .get(10, TimeUnit.SECONDS);

        CpixRequest request = lastRequest.get();
        assertEquals("POST", request.method());
        assertEquals("Bearer s3cret", request.header("Authorization"));
        assertTrue(request.header("Content-Type").startsWith("application/xml"), request.header("Content-Type"));
        assertEquals("live/premium", request.contentId());
        assertEquals("2.3", request.version());
        assertEquals("cbcs", request.scheme());
        assertEquals(List.of(DrmSystem.WIDEVINE.systemId(), DrmSystem.PLAYREADY.systemId(),
                DrmSystem.FAIRPLAY.systemId()), request.systemIds(), "ClearKey is ours, not the key server's");
        assertEquals(List.of(request.kid()), request.otherKids(), "every DRMSystem and usage rule names the key");

        assertEquals(request.kid(), provided.key().kidUuid());
        assertArrayEquals(KEY, provided.key().key());
        assertArrayEquals(IV, provided.key().iv());
        DrmSignalling signalling = provided.signalling().get(DrmSystem.WIDEVINE);
        assertArrayEquals(widevinePssh, signalling.psshBox());
        assertEquals("<cenc:pssh>AAAA</cenc:pssh>", signalling.contentProtectionData());
        assertNull(signalling.uriExtXKey());
        assertEquals(List.of(DrmSystem.WIDEVINE), List.copyOf(provided.signalling().keySet()));
    }

    @Test
    void aRepublishReusesTheKeyAndConcurrentAsksShareOneRequest() throws Exception {
        keyServer = r -> new Answer(200, cpix(r.kid(), plain(KEY), null, ""));
        CpixKeyProvider provider = provider("", Duration.ofSeconds(5));
        CompletableFuture<ProvidedKey> first = provider.keyFor(STREAM, POLICY);
        CompletableFuture<ProvidedKey> second = provider.keyFor(STREAM, POLICY);
        assertEquals(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS));
        assertEquals(first.get(), provider.keyFor(STREAM, POLICY).get(10, TimeUnit.SECONDS));
        assertEquals(1, requests.get());
        assertNull(lastRequest.get().header("Authorization"), "no auth header configured, none sent");
        assertEquals(16, first.get().key().iv().length, "no explicitIV: a random one");
        provider.keyFor(new StreamKey("live", "other"), POLICY).get(10, TimeUnit.SECONDS);
        assertEquals(2, requests.get());
    }

    @Test
    void aServerThatAssignsItsOwnKeyIdIsFollowed() throws Exception {
        String kid = "6c5f5206-6f0e-4a2b-8b3b-1f9d3c2a7e10";
        keyServer = r -> new Answer(200, cpix(kid, plain(KEY), null, ""));
        ProvidedKey provided = provider("", Duration.ofSeconds(5)).keyFor(STREAM, POLICY).get(10, TimeUnit.SECONDS);
        assertEquals(kid, provided.key().kidUuid().toString());
        assertArrayEquals(KEY, provided.key().key());
    }

    @Test
    void anHttpErrorFailsWithItsStatusAndIsNotCached() throws Exception {
        keyServer = r -> new Answer(500, "key store unavailable");
        CpixKeyProvider provider = provider("", Duration.ofSeconds(5));
        Throwable e = failure(provider.keyFor(STREAM, POLICY));
        assertTrue(e.getMessage().contains("HTTP 500: key store unavailable"), e.getMessage());
        assertTrue(e.getMessage().contains("live/premium"), e.getMessage());

        keyServer = r -> new Answer(200, cpix(r.kid(), plain(KEY), null, ""));
        assertArrayEquals(KEY, provider.keyFor(STREAM, POLICY).get(10, TimeUnit.SECONDS).key().key());
        assertEquals(2, requests.get());
    }

    @Test
    void malformedXmlFails() {
        keyServer = r -> new Answer(200, "<cpix:CPIX xmlns:cpix=\"urn:dashif:org:cpix\"><cpix:ContentKeyList>");
        Throwable e = failure(provider("", Duration.ofSeconds(5)).keyFor(STREAM, POLICY));
        assertTrue(e.getMessage().contains("not well-formed XML"), e.getMessage());
    }

    @Test
    void anotherDocumentThanCpixFails() {
        keyServer = r -> new Answer(200, "<html><body>login</body></html>");
        Throwable e = failure(provider("", Duration.ofSeconds(5)).keyFor(STREAM, POLICY));
        assertTrue(e.getMessage().contains("not a CPIX document"), e.getMessage());
    }

    @Test
    void anExternalEntityIsRefusedNotResolved() {
        String evil = "http://127.0.0.1:" + server.getAddress().getPort() + "/evil";
        keyServer = r -> new Answer(200, "<?xml version=\"1.0\"?>\n<!DOCTYPE cpix:CPIX [ <!ENTITY xxe SYSTEM \""
                + evil + "\"> ]>\n" + cpix(r.kid(), "<cpix:Data><pskc:Secret><pskc:PlainValue>&xxe;"
                + "</pskc:PlainValue></pskc:Secret></cpix:Data>", null, "").replaceFirst("<\\?xml[^>]*>", ""));
        Throwable e = failure(provider("", Duration.ofSeconds(5)).keyFor(STREAM, POLICY));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        assertEquals(0, evilRequests.get(), "the entity was fetched");
    }

    @Test
    void anAnswerWithoutTheKeyFails() {
        keyServer = r -> new Answer(200, cpix(r.kid(), "", null, ""));
        Throwable e = failure(provider("", Duration.ofSeconds(5)).keyFor(STREAM, POLICY));
        assertTrue(e.getMessage().contains("has no key for key ID"), e.getMessage());
    }

    @Test
    void anEncryptedKeyFailsSayingItIsNotSupported() {
        keyServer = r -> new Answer(200, cpix(r.kid(), "<cpix:Data><pskc:Secret><pskc:EncryptedValue>"
                + "<xenc:CipherData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"><xenc:CipherValue>AAAA"
                + "</xenc:CipherValue></xenc:CipherData></pskc:EncryptedValue></pskc:Secret></cpix:Data>", null, ""));
        Throwable e = failure(provider("", Duration.ofSeconds(5)).keyFor(STREAM, POLICY));
        assertTrue(e.getMessage().contains("encrypted") && e.getMessage().contains("not support"), e.getMessage());
    }

    @Test
    void aKeyOfTheWrongLengthFails() {
        keyServer = r -> new Answer(200, cpix(r.kid(), plain(new byte[8]), null, ""));
        Throwable e = failure(provider("", Duration.ofSeconds(5)).keyFor(STREAM, POLICY));
        assertTrue(e.getMessage().contains("8 bytes, not 16"), e.getMessage());
    }

    @Test
    void anEndlessAnswerIsCutOff() {
        keyServer = r -> new Answer(200, "<a>" + "x".repeat(CpixKeyProvider.MAX_ANSWER_BYTES) + "</a>");
        Throwable e = failure(provider("", Duration.ofSeconds(5)).keyFor(STREAM, POLICY));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheTimeoutWithoutHoldingTheCaller() {
        keyServer = r -> {
            try {
                hang.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Answer(500, "");
        };
        CompletableFuture<ProvidedKey> key = provider("", Duration.ofMillis(300)).keyFor(STREAM, POLICY);
        assertFalse(key.isDone(), "keyFor returned before the key server answered");
        Throwable e = failure(key);
        assertTrue(e.getMessage().contains("no answer within 300ms"), e.getMessage());
    }

    @Test
    void noKeyShowsInLogsOrToString() throws Exception {
        byte[] widevinePssh = pssh(DrmSystem.WIDEVINE, new byte[0]);
        try (LogCapture log = new LogCapture()) {
            keyServer = r -> new Answer(200, cpix(r.kid(), plain(KEY), b64(IV), widevine(r.kid(), widevinePssh)));
            CpixKeyProvider provider = provider("Bearer s3cret", Duration.ofSeconds(5));
            ProvidedKey provided = provider.keyFor(STREAM, POLICY).get(10, TimeUnit.SECONDS);
            keyServer = r -> new Answer(200, cpix(r.kid(), plain(new byte[8]), null, ""));
            failure(provider.keyFor(new StreamKey("live", "broken"), POLICY));

            List<String> texts = new java.util.ArrayList<>(log.lines());
            texts.add(provided.toString());
            assertTrue(texts.size() >= 3, texts.toString());
            for (String text : texts) {
                assertFalse(text.contains(HexFormat.of().formatHex(KEY)), text);
                assertFalse(text.contains(b64(KEY)), text);
                assertFalse(text.contains("s3cret"), text);
            }
        }
    }
}
