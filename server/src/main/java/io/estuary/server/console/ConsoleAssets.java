package io.estuary.server.console;

import io.estuary.packager.hls.RenderedText;
import io.estuary.server.http.AdminRoutes.Asset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's files, read from the classpath once at start-up and kept in memory (a few hundred KB), so a request
 * never touches the disk or the class loader. Only this fixed set of paths is ever served: a request path is looked
 * up as an exact key, so {@code ..}, encoded separators and the like simply find nothing.
 */
public final class ConsoleAssets {
    private static final Logger log = LoggerFactory.getLogger(ConsoleAssets.class);

    /** Classpath directory the files live in (src/main/resources/console, plus vendor/ written by the build). */
    static final String ROOT = "console/";

    /** The page must always be revalidated: a new server version may ship a new script. */
    static final String NO_CACHE = "no-cache";
    /** Our own script and style change only with a release; five minutes keeps a reload cheap and an upgrade quick. */
    static final String SHORT = "public, max-age=300";
    /** A pinned third-party release: its bytes change only when the pom's version does. */
    static final String LONG = "public, max-age=86400";

    /** Served gzipped when asked (600 KB become about a third), compressed once at start-up, not per request. */
    static final String VENDOR_JS = "text/javascript; charset=utf-8";

    private final Map<String, Asset> byPath;

    private ConsoleAssets(Map<String, Asset> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    /** Loads the console from this class's class loader. */
    public static ConsoleAssets load() {
        return load(ConsoleAssets.class.getClassLoader());
    }

    /**
     * Loads the console from {@code loader}. The page, script and style are part of our sources: a missing one is a
     * broken build and fails start-up. hls.js is written by the Maven build; when it is missing (a run from an IDE
     * that skipped the build step) the console still loads and says so in the page.
     */
    static ConsoleAssets load(ClassLoader loader) {
        Map<String, Asset> assets = new LinkedHashMap<>();
        Asset index = new Asset(rendered(required(loader, "index.html")), "text/html; charset=utf-8", NO_CACHE);
        assets.put("/", index);
        assets.put("/index.html", index);
        assets.put("/console/console.js",
                new Asset(rendered(required(loader, "console.js")), "text/javascript; charset=utf-8", SHORT));
        assets.put("/console/console.css",
                new Asset(rendered(required(loader, "console.css")), "text/css; charset=utf-8", SHORT));
        optional(loader, "vendor/hls.min.js").ifPresentOrElse(
                body -> assets.put("/console/vendor/hls.min.js", new Asset(rendered(body), VENDOR_JS, LONG)),
                () -> log.warn("console: {}vendor/hls.min.js is not on the classpath (build with Maven to fetch it); "
                        + "the console's players will not work", ROOT));
        optional(loader, "vendor/LICENSE").ifPresent(body -> assets.put("/console/vendor/LICENSE",
                new Asset(rendered(body), "text/plain; charset=utf-8", LONG)));
        return new ConsoleAssets(assets);
    }

    /**
     * The file served at {@code path} (a decoded request path, without query), or empty. The body array is shared
     * by every response: never modify it.
     */
    public Optional<Asset> find(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /** Compressed now, once (tens of milliseconds for hls.js), so that no request pays for it on an event loop. */
    private static RenderedText rendered(byte[] body) {
        RenderedText text = new RenderedText(body);
        text.gzip();
        return text;
    }

    private static byte[] required(ClassLoader loader, String name) {
        return optional(loader, name).orElseThrow(
                () -> new IllegalStateException("console resource " + ROOT + name + " is missing from the classpath"));
    }

    private static Optional<byte[]> optional(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read console resource " + ROOT + name, e);
        }
    }
}
