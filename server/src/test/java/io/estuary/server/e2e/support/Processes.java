package io.estuary.server.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small helpers for the external processes the tests start, and for paths under the module's target/. */
public final class Processes {

    private Processes() {
    }

    /**
     * Kills a process and every descendant it has started (Chromium forks renderers and a zygote; ffmpeg none),
     * gently first, forcibly after {@code grace}. Only the given process tree is touched.
     */
    public static void killTree(Process process, Duration grace) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** A directory under the module's {@code target/} for logs of this run (created if missing). */
    public static Path targetDir(String name) {
        Path dir = moduleDir().resolve("target").resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * The server module's directory. Maven's surefire runs tests with the module as working directory; from an
     * IDE or from the reactor root the working directory may be the repository root instead.
     */
    public static Path moduleDir() {
        Path cwd = Paths.get("").toAbsolutePath();
        if (Files.isDirectory(cwd.resolve("src/test/browser"))) {
            return cwd;
        }
        if (Files.isDirectory(cwd.resolve("server/src/test/browser"))) {
            return cwd.resolve("server");
        }
        return cwd;
    }

    /** A free TCP port on the loopback interface (racy by nature; used only for external processes). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails clearly when a required executable is missing, naming the Debian package that provides it. */
    public static Path requireExecutable(String path, String debianPackage) {
        Path p = Paths.get(path);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(path + " is missing: install it with `apt-get install -y " + debianPackage + "`");
        }
        return p;
    }
}
