package io.estuary.server.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The player libraries {@link ChromiumPlayer} can load: each has its page under {@code src/test/resources/e2e/} and
 * one script from {@code src/test/browser/node_modules} (pinned in package-lock.json), served by the test origin
 * under {@link #scriptPath()}, which is the path the page's {@code <script src>} names.
 */
public enum Player {

    HLSJS("hls.js", "/e2e/player.html", "/hls.min.js", "hls.js/dist/hls.min.js"),
    /** The full build (dash.all): the mediaplayer-only build would do, but dash.all is what sites embed. */
    DASHJS("dash.js", "/e2e/dashjs.html", "/dash.all.min.js", "dashjs/dist/modern/umd/dash.all.min.js"),
    /** The compiled build with every format (DASH, HLS); its plain-DASH build would do as well. */
    SHAKA("shaka-player", "/e2e/shaka.html", "/shaka-player.compiled.js", "shaka-player/dist/shaka-player.compiled.js");

    private final String library;
    private final String pageResource;
    private final String scriptPath;
    private final String nodeModulesPath;

    Player(String library, String pageResource, String scriptPath, String nodeModulesPath) {
        this.library = library;
        this.pageResource = pageResource;
        this.scriptPath = scriptPath;
        this.nodeModulesPath = nodeModulesPath;
    }

    /** The library's name, as the page reports it in {@code player}. */
    public String library() {
        return library;
    }

    /** Classpath resource of the page. */
    public String pageResource() {
        return pageResource;
    }

    /** Path of the page on the test origin (the resource's file name). */
    public String pagePath() {
        return pageResource.substring(pageResource.lastIndexOf('/'));
    }

    /** Path under which the test origin serves the library script. */
    public String scriptPath() {
        return scriptPath;
    }

    /** The library script installed by {@code npm ci} in {@code server/src/test/browser}; fails clearly if missing. */
    public Path script() {
        Path browserDir = Processes.moduleDir().resolve("src/test/browser");
        Path js = browserDir.resolve("node_modules").resolve(nodeModulesPath);
        if (!Files.isRegularFile(js)) {
            throw new IllegalStateException(js + " is missing: run `npm ci` in " + browserDir
                    + " (it installs the player libraries listed in package.json)");
        }
        return js;
    }
}
