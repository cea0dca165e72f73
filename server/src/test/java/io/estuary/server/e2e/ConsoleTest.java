package io.estuary.server.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.Processes;
import io.estuary.server.e2e.support.WebDriverSession;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Must show (issue 3): the web console loads in headless Chromium, lists the live stream, and its embedded player
 * plays it (video time advances). The screenshot is kept as {@code target/artifacts/console.png}.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
class ConsoleTest {

    static final double PLAY_AT_LEAST_SECONDS = 3.0;

    @Test
    void consoleListsTheStreamAndItsPlayerPlays() {
        try (LiveFixture live = LiveFixture.start("console", FfmpegPublisher.Profile.ZEROLATENCY)) {
            live.awaitSegments(1, Duration.ofSeconds(20));
            String key = LiveFixture.APP + "/" + live.name();
            Path screenshot = Processes.targetDir("artifacts").resolve("console.png");
            try (WebDriverSession browser = WebDriverSession.open(
                    Processes.targetDir("e2e-logs").resolve("chromedriver-console.log"))) {
                try {
                    browser.navigate("http://127.0.0.1:" + live.server().httpPort() + "/");

                    await("the console lists " + key).atMost(Duration.ofSeconds(10))
                            .pollInterval(Duration.ofMillis(250))
                            .until(() -> browser.execute("return estuaryConsole.streams()").toString(),
                                    streams -> streams.contains("\"" + key + "\""));

                    double started = await("the player starts").atMost(Duration.ofSeconds(20))
                            .pollInterval(Duration.ofMillis(250))
                            .until(() -> currentTime(browser, key), t -> t > 0.1);
                    double now = await("the player plays " + PLAY_AT_LEAST_SECONDS + " s more")
                            .atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                            .until(() -> currentTime(browser, key), t -> t >= started + PLAY_AT_LEAST_SECONDS);
                    System.out.println("CONSOLE player went from " + started + " s to " + now + " s; state "
                            + player(browser, key));

                    JsonNode urls = browser.execute("const card = document.querySelector('[data-key=\"' + arguments[0]"
                            + " + '\"]'); return {playback: card.querySelector('[data-field=playbackUrl]').value,"
                            + " publish: card.querySelector('[data-field=publishUrl]').value};", key);
                    assertEquals(live.multivariant().toString(), urls.path("playback").asText(), urls.toString());
                    assertTrue(urls.path("publish").asText().matches("rtmp://[^/]+/" + key), urls.toString());
                } finally {
                    // Kept on failure too: the picture usually tells what went wrong.
                    browser.saveScreenshot(screenshot);
                    browser.browserLog().forEach(line -> System.out.println("CONSOLE browser: " + line));
                }
            }
            assertTrue(screenshot.toFile().length() > 0);
        }
    }

    /** The player's currentTime; fails at once on a fatal hls.js error instead of waiting for the timeout. */
    private static double currentTime(WebDriverSession browser, String key) {
        JsonNode state = player(browser, key);
        if (state.hasNonNull("error")) {
            throw new AssertionError("fatal hls.js error in the console's player: " + state);
        }
        return state.path("currentTime").asDouble();
    }

    private static JsonNode player(WebDriverSession browser, String key) {
        return browser.execute("return estuaryConsole.player(arguments[0])", key);
    }
}
