package io.estuary.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.http.AdminRoutes.Asset;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleAssetsTest {

    private final ConsoleAssets assets = ConsoleAssets.load();

    private Asset asset(String path) {
        return assets.find(path).orElseThrow(() -> new AssertionError(path + " is not served"));
    }

    private static String text(Asset asset) {
        return new String(asset.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void thePageIsServedAtTheRootAndAsIndexHtmlAlwaysRevalidated() {
        Asset root = asset("/");
        assertSame(root, asset("/index.html"));
        assertEquals("text/html; charset=utf-8", root.contentType());
        assertEquals("no-cache", root.cacheControl());
        assertTrue(text(root).contains("<script src=\"/console/console.js\"></script>"), text(root));
    }

    @Test
    void thePageLoadsScriptsFromThisServerOnlyNeverACdn() {
        String page = text(asset("/"));
        assertTrue(page.contains("<script src=\"/console/vendor/hls.min.js\"></script>"));
        assertFalse(page.contains("src=\"http") || page.contains("src=\"//") || page.contains("href=\"http"),
                "the console must not load anything from another origin");
    }

    @Test
    void ourScriptAndStyleAreCachedFiveMinutes() {
        assertEquals("text/javascript; charset=utf-8", asset("/console/console.js").contentType());
        assertEquals("text/css; charset=utf-8", asset("/console/console.css").contentType());
        assertEquals("public, max-age=300", asset("/console/console.js").cacheControl());
        assertEquals("public, max-age=300", asset("/console/console.css").cacheControl());
        assertTrue(text(asset("/console/console.js")).contains("window.estuaryConsole"));
    }

    @Test
    void hlsJsFromTheBuildIsServedWithItsLicenseAndCachedADay() {
        Asset hls = asset("/console/vendor/hls.min.js");
        assertEquals("public, max-age=86400", hls.cacheControl());
        assertEquals("text/javascript; charset=utf-8", hls.contentType());
        assertTrue(hls.bytes().length > 100_000, "hls.min.js is " + hls.bytes().length + " bytes");
        assertTrue(hls.body().gzip().remaining() < hls.bytes().length / 2, "compressed at load");
        assertTrue(text(asset("/console/vendor/LICENSE")).contains("Apache License"));
    }

    @Test
    void onlyTheKnownFilesAreEverServed() {
        for (String path : new String[] {"", "/console", "/console/", "/console/vendor/", "/index.htm",
                "/console/index.html", "/console/console.js/", "/console/CONSOLE.JS", "/console/../reference.conf",
                "/console/%2e%2e/reference.conf", "/console/vendor/../../logback.xml", "/console/..%2flogback.xml",
                "/console//console.js", "/console/console.js\0", "/reference.conf", "/logback.xml",
                "/console/vendor/hls.js", "/io/estuary/server/Main.class"}) {
            assertTrue(assets.find(path).isEmpty(), path);
        }
    }

    @Test
    void withoutHlsJsTheConsoleStillLoads() {
        ConsoleAssets partial = ConsoleAssets.load(new MapClassLoader(Map.of(
                "console/index.html", "<html>", "console/console.js", "//", "console/console.css", "/**/")));
        assertTrue(partial.find("/").isPresent());
        assertTrue(partial.find("/console/vendor/hls.min.js").isEmpty());
    }

    @Test
    void aMissingPageFailsStartUp() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConsoleAssets.load(new MapClassLoader(Map.of("console/console.js", "//"))));
        assertTrue(e.getMessage().contains("console/index.html"), e.getMessage());
    }

    /** Resources from a map, nothing from the parent: what a broken or partial build would give. */
    private static final class MapClassLoader extends ClassLoader {
        private final Map<String, String> resources;

        MapClassLoader(Map<String, String> resources) {
            super(null);
            this.resources = resources;
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            String body = resources.get(name);
            return body == null ? null : new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
