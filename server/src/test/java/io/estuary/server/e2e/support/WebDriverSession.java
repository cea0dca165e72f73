package io.estuary.server.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Headless Chromium driven through chromedriver (Debian's {@code chromium-driver}) with the W3C WebDriver protocol:
 * JSON over HTTP, spoken with the JDK's client, so no Selenium. For pages served by the server itself, where the
 * test needs to look inside the page (run a script, take a screenshot) rather than receive reports from it.
 * Closing ends the session and kills chromedriver with every process it started.
 */
public final class WebDriverSession implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Process driver;
    private final Path log;
    private final HttpClient http;
    private final URI root;
    private String sessionId;

    private WebDriverSession(Process driver, Path log, URI root) {
        this.driver = driver;
        this.log = log;
        this.root = root;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Starts chromedriver on a free loopback port (its output goes to {@code log}) and opens a browser with
     * {@link ChromiumPlayer#FLAGS} and a 1280x900 window.
     */
    public static WebDriverSession open(Path log) {
        Processes.requireExecutable("/usr/bin/chromedriver", "chromium-driver");
        Processes.requireExecutable("/usr/bin/chromium", "chromium");
        int port = Processes.freePort();
        Process driver;
        try {
            driver = new ProcessBuilder("/usr/bin/chromedriver", "--port=" + port)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start chromedriver", e);
        }
        WebDriverSession session = new WebDriverSession(driver, log, URI.create("http://127.0.0.1:" + port + "/"));
        try {
            session.awaitReady(Duration.ofSeconds(10));
            session.sessionId = session.createSession();
        } catch (RuntimeException | Error e) {
            session.close();
            throw e;
        }
        return session;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!driver.isAlive()) {
                throw new IllegalStateException("chromedriver exited (" + driver.exitValue() + "), see " + log);
            }
            try {
                JsonNode status = send("GET", "status", null);
                if (status.path("ready").asBoolean()) {
                    return;
                }
                last = status.toString();
            } catch (UncheckedIOException e) {
                last = e.getCause().toString(); // not listening yet
            }
            ChromiumPlayer.sleep(100);
        }
        throw new IllegalStateException("chromedriver not ready within " + timeout + " (" + last + "), see " + log);
    }

    private String createSession() {
        ObjectNode options = JSON.createObjectNode().put("binary", "/usr/bin/chromium");
        ArrayNode args = options.putArray("args");
        ChromiumPlayer.FLAGS.forEach(args::add);
        args.add("--window-size=1280,900");
        ObjectNode always = JSON.createObjectNode().put("browserName", "chrome");
        always.set("goog:chromeOptions", options);
        always.putObject("goog:loggingPrefs").put("browser", "ALL");
        // A hung page or script fails the test in seconds, not after WebDriver's default five minutes.
        always.putObject("timeouts").put("pageLoad", 20_000).put("script", 10_000);
        ObjectNode body = JSON.createObjectNode();
        body.putObject("capabilities").set("alwaysMatch", always);
        return send("POST", "session", body).path("sessionId").asText();
    }

    /** Loads {@code url} and waits for its load event. */
    public void navigate(String url) {
        send("POST", session("url"), JSON.createObjectNode().put("url", url));
    }

    /** Runs {@code script} (a function body: {@code return ...}, with {@code arguments[i]}) in the page. */
    public JsonNode execute(String script, Object... args) {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        ArrayNode list = body.putArray("args");
        for (Object arg : args) {
            list.add(JSON.valueToTree(arg));
        }
        return send("POST", session("execute/sync"), body);
    }

    /** A PNG of the window as it is now. */
    public byte[] screenshot() {
        return Base64.getDecoder().decode(send("GET", session("screenshot"), null).asText());
    }

    public void saveScreenshot(Path png) {
        try {
            Files.createDirectories(png.getParent());
            Files.write(png, screenshot());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's console messages since the last call (chromedriver's logging extension; empty if unavailable). */
    public List<String> browserLog() {
        List<String> lines = new ArrayList<>();
        try {
            JsonNode entries = send("POST", session("se/log"), JSON.createObjectNode().put("type", "browser"));
            entries.forEach(e -> lines.add(e.path("level").asText() + " " + e.path("message").asText()));
        } catch (RuntimeException e) {
            lines.add("(browser log unavailable: " + e.getMessage() + ")");
        }
        return lines;
    }

    private String session(String command) {
        if (sessionId == null) {
            throw new IllegalStateException("no WebDriver session");
        }
        return "session/" + sessionId + "/" + command;
    }

    /** One WebDriver command; answers its {@code value}, or throws with the driver's error and message. */
    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> response;
        JsonNode json;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        JsonNode value = json.path("value");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("WebDriver " + method + " " + path + " answered " + response.statusCode()
                    + ": " + value.path("error").asText() + ": " + value.path("message").asText());
        }
        return value;
    }

    @Override
    public void close() {
        if (sessionId != null && driver.isAlive()) {
            try {
                send("DELETE", "session/" + sessionId, null); // lets chromedriver end Chromium cleanly
            } catch (RuntimeException ignored) {
                // the process kill below does it anyway
            }
            sessionId = null;
        }
        Processes.killTree(driver, Duration.ofSeconds(3));
    }
}
