package io.estuary.server.e2e.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The WebDriver harness itself: a session runs scripts with arguments, takes screenshots, and ends cleanly. */
@Tag("e2e")
class WebDriverSessionTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void runsScriptsAndTakesScreenshots() {
        WebDriverSession kept;
        try (WebDriverSession browser = WebDriverSession.open(
                Processes.targetDir("e2e-logs").resolve("chromedriver-selftest.log"))) {
            kept = browser;
            browser.navigate("data:text/html,<title>t</title><p id=p>hello</p>");
            JsonNode answer = browser.execute(
                    "return {text: document.getElementById('p').textContent, sum: arguments[0] + arguments[1],"
                            + " width: window.innerWidth}", 2, 3);
            assertEquals("hello", answer.path("text").asText());
            assertEquals(5, answer.path("sum").asInt());
            assertEquals(1280, answer.path("width").asInt());
            byte[] png = browser.screenshot();
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> browser.execute("throw new Error('boom')"));
            assertFalse(e.getMessage().isEmpty());
        }
        assertThrows(IllegalStateException.class, () -> kept.execute("return 1"), "closed sessions refuse commands");
    }
}
